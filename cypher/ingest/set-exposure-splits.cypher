// Re-split: new split labels for exposures. $dataset (string), $batch (list of {key, split})
UNWIND $batch AS row
MATCH ()-[r:EXPOSED {dataset: $dataset, key: row.key}]->()
SET r.split = row.split
