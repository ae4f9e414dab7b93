// The smallest user id of a dataset (the user `npm start` shows). $dataset (string). Returns: id
MATCH (u:User {dataset: $dataset})
RETURN u.userId AS id
ORDER BY id
LIMIT 1
