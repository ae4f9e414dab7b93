// Re-split: new split labels for interactions. $dataset (string), $batch (list of {key, split})
UNWIND $batch AS row
MATCH ()-[r:INTERACTED {dataset: $dataset, key: row.key}]->()
SET r.split = row.split
