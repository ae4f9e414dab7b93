// Slot {{property}}: the run's embedding property (embeddingA | embeddingB).
// $dataset (string), $batch (list of {id, v: list<float>})
UNWIND $batch AS row
MATCH (u:User {dataset: $dataset, userId: row.id})
SET u.{{property}} = row.v
