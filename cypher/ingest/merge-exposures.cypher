// Exposures: shown and not clicked, one relationship per (user, item, impression).
// $dataset (string), $batch (list of {key, u, i, props}); props: impressionId, count,
// split and timestamp where known.
UNWIND $batch AS row
MATCH (u:User {dataset: $dataset, userId: row.u})
MATCH (i:Item {dataset: $dataset, itemId: row.i})
MERGE (u)-[r:EXPOSED {dataset: $dataset, key: row.key}]->(i)
SET r += row.props
