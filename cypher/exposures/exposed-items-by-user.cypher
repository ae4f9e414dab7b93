// Per user, the exposed-but-not-interacted items of the dataset's training
// impressions, with how often each was shown. Exposures of validation and test
// impressions never reach training; an item the user also interacted with in
// training is a positive, not a negative signal, and is left out here (the
// trainer subtracts its own train set again, which may differ after a refit).
// $dataset (string), $batch (list of user ids).
// Returns: userId, itemIds (list), counts (list of integers, same order)
UNWIND $batch AS userId
MATCH (u:User {dataset: $dataset, userId: userId})-[e:EXPOSED]->(i:Item)
WHERE e.dataset = $dataset AND e.split = 'train'
  AND NOT EXISTS {
    MATCH (u)-[r:INTERACTED]->(i)
    WHERE r.dataset = $dataset AND r.split = 'train'
  }
WITH userId, i.itemId AS itemId, sum(coalesce(e.count, 1)) AS shown
RETURN userId, collect(itemId) AS itemIds, collect(shown) AS counts
