// Marks a dataset as loading (or still loading, when resuming). Completed
// phases survive a resume so that they are not written again.
// $name (string), $props (map of scalars)
MERGE (d:Dataset {name: $name})
ON CREATE SET d.completedPhases = [], d.createdAt = datetime()
SET d += $props, d.status = 'loading', d.startedAt = datetime()
