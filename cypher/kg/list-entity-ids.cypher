// Every KG entity id of a dataset (items aligned with the KG included), in id
// order: row i of an entity embedding table is the i-th.
// $dataset (string). Returns: id (integer or string)
MATCH (e:Entity {dataset: $dataset})
RETURN e.entityId AS id
ORDER BY id
