// $name (string), $phase (string)
MATCH (d:Dataset {name: $name})
SET d.completedPhases = CASE WHEN $phase IN d.completedPhases THEN d.completedPhases
                             ELSE d.completedPhases + $phase END
