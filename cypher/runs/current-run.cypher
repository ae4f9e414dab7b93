// The run whose results a dataset serves, if any. $dataset (string)
// Returns: run (map)
MATCH (:Dataset {name: $dataset})-[:CURRENT_RUN]->(r:Run)
RETURN r {.*} AS run
