// Every item id of a dataset, in id order: row i of the item embedding table is the i-th.
// $dataset (string). Returns: id (integer or string)
MATCH (i:Item {dataset: $dataset})
RETURN i.itemId AS id
ORDER BY id
