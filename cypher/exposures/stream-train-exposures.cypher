// The exposures of a dataset's training impressions (shown, not clicked), one
// row per (user, item) with how often it was shown; the trainer drops pairs the
// user also interacted with. Exposures of validation and test impressions never
// reach training.
// $dataset (string). Returns: userId, itemId, count (integer)
MATCH (u:User)-[e:EXPOSED]->(i:Item)
WHERE e.dataset = $dataset AND e.split = 'train'
RETURN u.userId AS userId, i.itemId AS itemId, sum(coalesce(e.count, 1)) AS count
