// Every knowledge-graph relationship of a mapped graph, whatever labels its ends carry.
// A node is named by its element id; an end with the item label also gives its item id.
// Slots: types (the mapping's kg types, checked, quoted), itemLabel. $itemId: the item id property.
// Returns: type, a, aItem (item id or null), b, bItem
MATCH (a)-[k:{{types}}]->(b)
RETURN type(k) AS type,
       elementId(a) AS a, CASE WHEN a:{{itemLabel}} THEN a[$itemId] ELSE null END AS aItem,
       elementId(b) AS b, CASE WHEN b:{{itemLabel}} THEN b[$itemId] ELSE null END AS bItem
