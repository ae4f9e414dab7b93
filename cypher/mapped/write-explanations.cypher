// KGPolicy explanations on a mapped graph: KGPOLICY_NEGATIVE from the user's node to the negative item's.
// Slots: userLabel, itemLabel, userId, itemId (checked, quoted). $dataset, $runId (strings).
// $batch: [{user, positive, negative (ids), path (list of strings), viaGraph}]
UNWIND $batch AS row
MATCH (u:{{userLabel}}) WHERE u.{{userId}} = row.user
MATCH (j:{{itemLabel}}) WHERE j.{{itemId}} = row.negative
CREATE (u)-[:KGPOLICY_NEGATIVE {dataset: $dataset, runId: $runId, positiveId: row.positive, path: row.path, viaGraph: row.viaGraph}]->(j)
