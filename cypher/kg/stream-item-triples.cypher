// Every KG triple with an item at one end, seen from the item: the other end,
// the relation, and whether the item is the triple's head (outgoing) or its
// tail (the trainer then uses the inverse relation). For models that read an
// item's (relation, tail) neighbourhood (JNSKR).
// $dataset (string). Returns: itemId, relationId, outgoing (boolean), entityId
MATCH (i:Item {dataset: $dataset})-[k:KG]-(t:Entity)
WHERE k.dataset = $dataset
RETURN i.itemId AS itemId, k.relationId AS relationId, startNode(k) = i AS outgoing, t.entityId AS entityId
