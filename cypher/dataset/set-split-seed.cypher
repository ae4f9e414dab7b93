// $name (string), $seed (integer)
MATCH (d:Dataset {name: $name})
SET d.splitSeed = $seed, d.resplitAt = datetime()
