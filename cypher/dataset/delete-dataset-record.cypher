// $name (string)
MATCH (d:Dataset {name: $name}) DELETE d
