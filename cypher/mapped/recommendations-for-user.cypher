// A user's top-K from the served run of a mapped graph, on its own labels.
// Slots: userLabel, itemLabel, userId, itemId, title (checked, quoted; title is the item id when the mapping names none).
// $dataset (string), $userId (the id as text), $k (integer)
MATCH (:Dataset {name: $dataset})-[:CURRENT_RUN]->(run:Run)
MATCH (u:{{userLabel}})-[r:KGNEG_RECOMMENDED {runId: run.runId}]->(i:{{itemLabel}})
WHERE toString(u.{{userId}}) = $userId AND r.rank <= $k
RETURN i.{{itemId}} AS itemId, r.rank AS rank, r.score AS score, run.runId AS runId, toString(i.{{title}}) AS name
ORDER BY r.rank
