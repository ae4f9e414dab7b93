// The record of a mapped graph: kgneg's own (:Dataset) node; the user's graph is not touched.
// $name (string), $props (map: format 'graph', mappingJson, checksum, splitRule, splitSeed, counts)
MERGE (d:Dataset {name: $name})
ON CREATE SET d.createdAt = datetime()
SET d += $props, d.status = 'complete', d.completedAt = datetime(), d.completedPhases = []
