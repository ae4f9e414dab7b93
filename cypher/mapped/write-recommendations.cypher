// Write-back onto a mapped graph: top-K as KGNEG_RECOMMENDED relationships between the user's own nodes.
// $dataset, $runId (strings). $batch: [{u (element id), items (element ids, best first), scores}]
UNWIND $batch AS row
MATCH (u) WHERE elementId(u) = row.u
UNWIND range(0, size(row.items) - 1) AS r
MATCH (i) WHERE elementId(i) = row.items[r]
CREATE (u)-[:KGNEG_RECOMMENDED {dataset: $dataset, runId: $runId, rank: r + 1, score: row.scores[r]}]->(i)
