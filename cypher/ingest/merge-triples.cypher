// KG triples between entities (items that are entities included).
// $dataset (string), $batch (list of {key, h, t, r, name, count})
// Named SETs, not `+=`: see merge-interactions.cypher.
UNWIND $batch AS row
MATCH (h:Entity {dataset: $dataset, entityId: row.h})
MATCH (t:Entity {dataset: $dataset, entityId: row.t})
MERGE (h)-[k:KG {dataset: $dataset, key: row.key}]->(t)
SET k.relationId = row.r, k.relation = row.name, k.count = row.count
