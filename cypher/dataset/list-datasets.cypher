// All dataset records. Returns: dataset (map)
MATCH (d:Dataset)
RETURN d {.*} AS dataset
ORDER BY d.name
