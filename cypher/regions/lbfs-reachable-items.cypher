// LBFS (RecNS Algorithms 1-2) on the trainer's training graph, for a batch of
// users: the items reachable from each user by a walk of exactly $khop edges
// (1, 3, 5 or 7). Like the paper there is no visited set (a walk may go back),
// but every layer is DISTINCT, so the work follows the edges of the frontier,
// not the number of walks. Each item -> user -> item step is one subquery; the
// later ones run only when $khop asks for them (OPTIONAL CALL keeps the row).
// The caller subtracts the user's training items (intermediate region).
// The walk goes over exactly the pairs the trainer trains on: the stored train
// split less $excluded, the pairs the trainer holds out of it (validation
// carved from train, MIND's pairs seen again in a held-out impression).
// $dataset (string), $batch (list of user ids), $khop (odd integer 1..7),
// $minRating (number or null: as stream-interactions, rated datasets keep only
// interactions rated at least this), $excluded (map: toString(userId) -> list
// of item ids).
// Returns: userId, itemIds (list)
UNWIND $batch AS userId
MATCH (u:User {dataset: $dataset, userId: userId})
CALL (u) {
  OPTIONAL MATCH (u)-[r:INTERACTED {split: 'train'}]->(i:Item)
  WHERE ($minRating IS NULL OR r.rating IS NULL OR r.rating >= $minRating)
    AND NOT i.itemId IN coalesce($excluded[toString(u.userId)], [])
  RETURN collect(DISTINCT i) AS layer1
}
OPTIONAL CALL (layer1) {
  WITH layer1 WHERE $khop >= 3
  UNWIND layer1 AS i
  MATCH (i)<-[r:INTERACTED {split: 'train'}]-(v:User)
  WHERE ($minRating IS NULL OR r.rating IS NULL OR r.rating >= $minRating)
    AND NOT i.itemId IN coalesce($excluded[toString(v.userId)], [])
  WITH DISTINCT v
  MATCH (v)-[r:INTERACTED {split: 'train'}]->(j:Item)
  WHERE ($minRating IS NULL OR r.rating IS NULL OR r.rating >= $minRating)
    AND NOT j.itemId IN coalesce($excluded[toString(v.userId)], [])
  RETURN collect(DISTINCT j) AS layer3
}
OPTIONAL CALL (layer3) {
  WITH layer3 WHERE $khop >= 5
  UNWIND layer3 AS i
  MATCH (i)<-[r:INTERACTED {split: 'train'}]-(v:User)
  WHERE ($minRating IS NULL OR r.rating IS NULL OR r.rating >= $minRating)
    AND NOT i.itemId IN coalesce($excluded[toString(v.userId)], [])
  WITH DISTINCT v
  MATCH (v)-[r:INTERACTED {split: 'train'}]->(j:Item)
  WHERE ($minRating IS NULL OR r.rating IS NULL OR r.rating >= $minRating)
    AND NOT j.itemId IN coalesce($excluded[toString(v.userId)], [])
  RETURN collect(DISTINCT j) AS layer5
}
OPTIONAL CALL (layer5) {
  WITH layer5 WHERE $khop >= 7
  UNWIND layer5 AS i
  MATCH (i)<-[r:INTERACTED {split: 'train'}]-(v:User)
  WHERE ($minRating IS NULL OR r.rating IS NULL OR r.rating >= $minRating)
    AND NOT i.itemId IN coalesce($excluded[toString(v.userId)], [])
  WITH DISTINCT v
  MATCH (v)-[r:INTERACTED {split: 'train'}]->(j:Item)
  WHERE ($minRating IS NULL OR r.rating IS NULL OR r.rating >= $minRating)
    AND NOT j.itemId IN coalesce($excluded[toString(v.userId)], [])
  RETURN collect(DISTINCT j) AS layer7
}
WITH u, CASE $khop WHEN 1 THEN layer1 WHEN 3 THEN layer3 WHEN 5 THEN layer5 ELSE layer7 END AS reached
RETURN u.userId AS userId, [j IN coalesce(reached, []) | j.itemId] AS itemIds
