// A run being written: queries do not see it until switch-current-run.
// $runId (string), $dataset (string), $props (map of scalars and lists)
CREATE (r:Run {runId: $runId, dataset: $dataset, status: 'writing', startedAt: datetime()})
SET r += $props
