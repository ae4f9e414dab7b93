// The atomic switch: one transaction moves the dataset's CURRENT_RUN to the
// completed run. Until it commits, queries see the previous run.
// $dataset (string), $runId (string), $props (map: timings and metrics of the write-back)
MATCH (d:Dataset {name: $dataset})
MATCH (r:Run {runId: $runId})
OPTIONAL MATCH (d)-[old:CURRENT_RUN]->(:Run)
DELETE old
WITH d, r
SET r += $props, r.status = 'complete', r.completedAt = datetime()
CREATE (d)-[:CURRENT_RUN]->(r)
