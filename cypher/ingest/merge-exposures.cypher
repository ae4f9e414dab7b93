// Exposures: shown and not clicked, one relationship per (user, item, impression).
// $dataset (string), $batch (list of {key, u, i, imp, ts, count, split})
// Named SETs, not `+=`: see merge-interactions.cypher.
UNWIND $batch AS row
MATCH (u:User {dataset: $dataset, userId: row.u})
MATCH (i:Item {dataset: $dataset, itemId: row.i})
MERGE (u)-[r:EXPOSED {dataset: $dataset, key: row.key}]->(i)
SET r.impressionId = row.imp, r.timestamp = row.ts, r.count = row.count, r.split = row.split
