// Every user id of a dataset, in id order: row i of the user embedding table is the i-th.
// $dataset (string). Returns: id (integer or string)
MATCH (u:User {dataset: $dataset})
RETURN u.userId AS id
ORDER BY id
