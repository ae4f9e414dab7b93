// Items of one dataset. An item that is also a KG entity gets the Entity label
// and its entityId, so KG triples and interactions meet on one node.
// $dataset (string), $batch (list of {id, entityId (or null), orgId (or null), attributes (map)})
UNWIND $batch AS row
MERGE (i:Item {dataset: $dataset, itemId: row.id})
SET i.orgId = row.orgId, i += row.attributes
FOREACH (_ IN CASE WHEN row.entityId IS NULL THEN [] ELSE [1] END |
  SET i:Entity, i.entityId = row.entityId)
