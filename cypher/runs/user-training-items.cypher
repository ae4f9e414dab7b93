// Some of a user's own training items, shown above the recommendations so
// that a person can judge them: the best rated first, then the latest, then
// by id; an item clicked more than once (MIND) counts once.
// $dataset (string), $userId (the dataset's id), $limit (integer)
// Returns one row: total (the user's training items), items (at most $limit
// maps {itemId, name (title, else the raw source's id, else null), rating (or null),
// latest (the last timestamp, or null)});
// an unknown user or one without training items gives total 0 and no items
MATCH (u:User {dataset: $dataset, userId: $userId})-[r:INTERACTED {split: 'train'}]->(i:Item)
WITH i, max(r.rating) AS rating, max(r.timestamp) AS latest
ORDER BY coalesce(rating, 0.0) DESC, coalesce(latest, 0.0) DESC, i.itemId
WITH collect({itemId: i.itemId, name: coalesce(i.title, i.orgId), rating: rating, latest: latest}) AS items
RETURN size(items) AS total, items[0..$limit] AS items
