// KGPolicy's exploring paths, one relationship per (user, positive) explained:
// the negative the policy reached and the path it took there, as "kind:id"
// strings (kind: user, item, entity). Keyed by the run, so a later run's paths
// never mix with this one's.
// $dataset (string), $runId (string), $batch (list of {user, negative, positive, path, viaGraph})
UNWIND $batch AS row
MATCH (u:User {dataset: $dataset, userId: row.user})
MATCH (j:Item {dataset: $dataset, itemId: row.negative})
CREATE (u)-[:KGPOLICY_NEGATIVE {dataset: $dataset, runId: $runId, positiveId: row.positive, path: row.path, viaGraph: row.viaGraph}]->(j)
