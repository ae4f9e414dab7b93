// A user's nearest items by the served run's vector index on a mapped graph (not yet interacted with).
// Slots: userLabel, itemLabel, userId, itemId, title, types (the interaction types). $dataset, $userId (text), $k, $candidates
MATCH (:Dataset {name: $dataset})-[:CURRENT_RUN]->(run:Run)
MATCH (u:{{userLabel}}) WHERE toString(u.{{userId}}) = $userId
WITH run, u, u[run.embeddingProperty] AS userVector
CALL db.index.vector.queryNodes(run.searchIndex, coalesce($candidates, run.itemCount), userVector + [0.0]) YIELD node AS i, score AS distanceScore
WHERE NOT EXISTS { (u)-[:{{types}}]->(i) }
WITH i, distanceScore, reduce(s = 0.0, d IN range(0, size(userVector) - 1) | s + userVector[d] * i[run.embeddingProperty][d]) AS score
RETURN i.{{itemId}} AS itemId, score, distanceScore, toString(i.{{title}}) AS name
ORDER BY distanceScore DESC
LIMIT $k
