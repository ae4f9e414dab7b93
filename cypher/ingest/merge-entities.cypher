// KG entities that are not items. $dataset (string), $batch (list of entity ids)
UNWIND $batch AS id
MERGE (:Entity {dataset: $dataset, entityId: id})
