// Runs of a dataset that are not its current one (finished earlier, or left
// half-written by a crash). $dataset (string). Returns: runId, status
MATCH (r:Run {dataset: $dataset})
WHERE NOT EXISTS { (:Dataset)-[:CURRENT_RUN]->(r) }
RETURN r.runId AS runId, r.status AS status
