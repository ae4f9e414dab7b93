// The current run's top-K for one user, as written back.
// $dataset (string), $userId (the dataset's id), $k (integer)
// Returns: itemId, rank, score, runId
MATCH (:Dataset {name: $dataset})-[:CURRENT_RUN]->(run:Run)
MATCH (u:User {dataset: $dataset, userId: $userId})-[r:RECOMMENDED {runId: run.runId}]->(i:Item)
WHERE r.rank <= $k
RETURN i.itemId AS itemId, r.rank AS rank, r.score AS score, run.runId AS runId
ORDER BY r.rank
