// Interactions (positives). $dataset (string),
// $batch (list of {key, u, i, props}); props holds only the values the format has
// (split, timestamp, rating, impressionId, source), so absent ones cost nothing.
UNWIND $batch AS row
MATCH (u:User {dataset: $dataset, userId: row.u})
MATCH (i:Item {dataset: $dataset, itemId: row.i})
MERGE (u)-[r:INTERACTED {dataset: $dataset, key: row.key}]->(i)
SET r += row.props
