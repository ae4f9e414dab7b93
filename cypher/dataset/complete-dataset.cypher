// The last step of an ingestion: only now may later steps use the dataset.
// $name (string), $stats (map of integers)
MATCH (d:Dataset {name: $name})
SET d += $stats, d.status = 'complete', d.completedAt = datetime()
