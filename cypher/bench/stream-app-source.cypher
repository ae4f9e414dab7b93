// bench mapped-read: a dataset's interactions in kgneg's own layout, the source of the application graph.
// $dataset (string). Returns: userId, itemId, timestamp (epoch seconds or null)
MATCH (u:User)-[r:INTERACTED]->(i:Item)
WHERE r.dataset = $dataset
RETURN u.userId AS userId, i.itemId AS itemId, r.timestamp AS timestamp
