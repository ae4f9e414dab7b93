// KGPolicy's walk graph, the KG part: for a batch of entity ids, each entity's
// KG neighbours in either direction (relations are merged, as the paper's
// graph G = {(e, e')}), and the item id when the entity is an item. One pattern
// comprehension per entity: the work is the entity's edges, not paths.
// $dataset (string), $batch (list of entity ids).
// Returns: entityId, itemId (null for a pure KG entity), neighbours (list of entity ids)
UNWIND $batch AS entityId
MATCH (e:Entity {dataset: $dataset, entityId: entityId})
RETURN entityId,
       CASE WHEN e:Item THEN e.itemId ELSE null END AS itemId,
       [(e)-[k:KG]-(x:Entity) WHERE k.dataset = $dataset | x.entityId] AS neighbours
