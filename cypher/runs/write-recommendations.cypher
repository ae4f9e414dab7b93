// Top-K per user for one run. $dataset (string), $runId (string),
// $batch (list of {u: user id, items: list of item ids, scores: list<float>}), best first.
UNWIND $batch AS row
MATCH (u:User {dataset: $dataset, userId: row.u})
UNWIND range(0, size(row.items) - 1) AS r
MATCH (i:Item {dataset: $dataset, itemId: row.items[r]})
CREATE (u)-[:RECOMMENDED {dataset: $dataset, runId: $runId, rank: r + 1, score: row.scores[r]}]->(i)
