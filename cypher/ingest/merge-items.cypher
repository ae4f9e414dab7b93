// Items of one dataset. An item that is also a KG entity gets the Entity label
// and its entityId, so KG triples and interactions meet on one node.
// $dataset (string), $batch (list of {id, entityId (or null), orgId (or null),
// attributes (map: freebaseId for KGAT; category, subCategory, title for MIND;
// title, year (integer), genres (list of strings) for a RecBole .item)}).
// An attribute the map lacks is removed (SET to null), so re-running the phase
// with the same files changes nothing and with new ones leaves no stale value.
// Attributes are named one by one: `SET i += map` makes the planner add Eager barriers.
UNWIND $batch AS row
MERGE (i:Item {dataset: $dataset, itemId: row.id})
SET i.orgId = row.orgId, i.freebaseId = row.attributes.freebaseId, i.category = row.attributes.category,
    i.subCategory = row.attributes.subCategory, i.title = row.attributes.title,
    i.year = row.attributes.year, i.genres = row.attributes.genres
FOREACH (_ IN CASE WHEN row.entityId IS NULL THEN [] ELSE [1] END |
  SET i:Entity, i.entityId = row.entityId)
