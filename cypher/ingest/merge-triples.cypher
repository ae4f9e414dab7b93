// KG triples between entities (items that are entities included).
// $dataset (string), $batch (list of {key, h, t, props}); props: relationId,
// relation (its name) and count where the format has one.
UNWIND $batch AS row
MATCH (h:Entity {dataset: $dataset, entityId: row.h})
MATCH (t:Entity {dataset: $dataset, entityId: row.t})
MERGE (h)-[k:KG {dataset: $dataset, key: row.key}]->(t)
SET k += row.props
