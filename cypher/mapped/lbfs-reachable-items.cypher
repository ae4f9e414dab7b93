// LBFS (RecNS Algorithms 1-2) on a mapped graph: regions/lbfs-reachable-items
// with the mapping's labels, id properties and interaction types. The walk goes
// over exactly the pairs the trainer trains on: every mapped interaction that
// the read keeps (an entry's minRating is applied here as there), less
// $excluded, the pairs of the derived split that are not training pairs.
// Slots: userLabel, itemLabel (labels), types (interaction types), userId,
// itemId (id properties), all checked against the live database and quoted.
// $batch (list of user ids), $khop (odd integer 1..7), $minRatings (map: type
// -> minimum rating, only types that have one), $ratingOf (map: type -> rating
// property), $excluded (map: toString(userId) -> list of item ids).
// Returns: userId, itemIds (list)
UNWIND $batch AS userId
MATCH (u:{{userLabel}} {{{userId}}: userId})
CALL (u) {
  OPTIONAL MATCH (u)-[r:{{types}}]->(i:{{itemLabel}})
  WHERE ($minRatings[type(r)] IS NULL OR r[$ratingOf[type(r)]] >= $minRatings[type(r)])
    AND NOT i.{{itemId}} IN coalesce($excluded[toString(u.{{userId}})], [])
  RETURN collect(DISTINCT i) AS layer1
}
OPTIONAL CALL (layer1) {
  WITH layer1 WHERE $khop >= 3
  UNWIND layer1 AS i
  MATCH (i)<-[r:{{types}}]-(v:{{userLabel}})
  WHERE ($minRatings[type(r)] IS NULL OR r[$ratingOf[type(r)]] >= $minRatings[type(r)])
    AND NOT i.{{itemId}} IN coalesce($excluded[toString(v.{{userId}})], [])
  WITH DISTINCT v
  MATCH (v)-[r:{{types}}]->(j:{{itemLabel}})
  WHERE ($minRatings[type(r)] IS NULL OR r[$ratingOf[type(r)]] >= $minRatings[type(r)])
    AND NOT j.{{itemId}} IN coalesce($excluded[toString(v.{{userId}})], [])
  RETURN collect(DISTINCT j) AS layer3
}
OPTIONAL CALL (layer3) {
  WITH layer3 WHERE $khop >= 5
  UNWIND layer3 AS i
  MATCH (i)<-[r:{{types}}]-(v:{{userLabel}})
  WHERE ($minRatings[type(r)] IS NULL OR r[$ratingOf[type(r)]] >= $minRatings[type(r)])
    AND NOT i.{{itemId}} IN coalesce($excluded[toString(v.{{userId}})], [])
  WITH DISTINCT v
  MATCH (v)-[r:{{types}}]->(j:{{itemLabel}})
  WHERE ($minRatings[type(r)] IS NULL OR r[$ratingOf[type(r)]] >= $minRatings[type(r)])
    AND NOT j.{{itemId}} IN coalesce($excluded[toString(v.{{userId}})], [])
  RETURN collect(DISTINCT j) AS layer5
}
OPTIONAL CALL (layer5) {
  WITH layer5 WHERE $khop >= 7
  UNWIND layer5 AS i
  MATCH (i)<-[r:{{types}}]-(v:{{userLabel}})
  WHERE ($minRatings[type(r)] IS NULL OR r[$ratingOf[type(r)]] >= $minRatings[type(r)])
    AND NOT i.{{itemId}} IN coalesce($excluded[toString(v.{{userId}})], [])
  WITH DISTINCT v
  MATCH (v)-[r:{{types}}]->(j:{{itemLabel}})
  WHERE ($minRatings[type(r)] IS NULL OR r[$ratingOf[type(r)]] >= $minRatings[type(r)])
    AND NOT j.{{itemId}} IN coalesce($excluded[toString(v.{{userId}})], [])
  RETURN collect(DISTINCT j) AS layer7
}
WITH u, CASE $khop WHEN 1 THEN layer1 WHEN 3 THEN layer3 WHEN 5 THEN layer5 ELSE layer7 END AS reached
RETURN u.{{userId}} AS userId, [j IN coalesce(reached, []) | j.{{itemId}}] AS itemIds
