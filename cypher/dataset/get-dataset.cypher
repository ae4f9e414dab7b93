// One dataset's record, or no row. $name (string)
MATCH (d:Dataset {name: $name})
RETURN d {.*} AS dataset
