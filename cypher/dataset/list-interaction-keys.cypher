// What a re-split needs of each interaction. $dataset (string)
// Returns: key (string), timestamp (number or null), source (string or null)
MATCH ()-[r:INTERACTED]->() WHERE r.dataset = $dataset
RETURN r.key AS key, r.timestamp AS timestamp, r.source AS source, r.split AS split
