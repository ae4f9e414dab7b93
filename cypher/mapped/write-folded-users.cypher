// Folded-in users of a mapped graph joined to the served run: vector and top-K per user, one transaction per batch.
// Slots: userLabel, itemLabel, userId, itemId (checked, quoted), property (the run's kgneg_ property).
// $dataset, $runId (strings). $batch: [{u, v, items, scores}]
UNWIND $batch AS row
MATCH (u:{{userLabel}}) WHERE u.{{userId}} = row.u
SET u.{{property}} = row.v
WITH u, row
UNWIND range(0, size(row.items) - 1) AS r
MATCH (i:{{itemLabel}}) WHERE i.{{itemId}} = row.items[r]
CREATE (u)-[:KGNEG_RECOMMENDED {dataset: $dataset, runId: $runId, rank: r + 1, score: row.scores[r], foldedIn: true}]->(i)
