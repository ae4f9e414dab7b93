// What explain prints for the nodes of a KGPolicy path on a mapped graph: the
// entities by element id, the items by their id, each with its first label and
// a readable property (the mapping's title for items; name, title or
// freebaseId for others). Slots: itemLabel, itemId, title (checked, quoted).
// $entityIds (list of element ids), $itemIds (list of item ids).
// Returns: key ('entity:<elementId>' | 'item:<id>'), label, name
CALL {
  UNWIND $entityIds AS id
  MATCH (n) WHERE elementId(n) = id
  RETURN 'entity:' + id AS key, labels(n)[0] AS label, toString(coalesce(n.name, n.title, n.freebaseId)) AS name
  UNION ALL
  UNWIND $itemIds AS id
  MATCH (i:{{itemLabel}}) WHERE i.{{itemId}} = id
  RETURN 'item:' + toString(id) AS key, labels(i)[0] AS label, toString(i.{{title}}) AS name
}
RETURN key, label, name
