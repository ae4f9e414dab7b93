// What a re-split needs of each exposure. $dataset (string)
// Returns: key (string), timestamp (number or null), count (integer)
MATCH ()-[r:EXPOSED]->() WHERE r.dataset = $dataset
RETURN r.key AS key, r.timestamp AS timestamp, r.count AS count
