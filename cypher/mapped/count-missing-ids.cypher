// How many nodes of a mapped label lack the id property, and how many ids repeat.
// Slot: label (checked, quoted). $id: the id property name.
// Returns: nodes, missing, duplicated (ids held by more than one node), examples (up to 3 repeated ids)
MATCH (n:{{label}})
WITH count(n) AS nodes, sum(CASE WHEN n[$id] IS NULL THEN 1 ELSE 0 END) AS missing, collect(n[$id]) AS ids
UNWIND CASE WHEN size(ids) = 0 THEN [null] ELSE ids END AS id
WITH nodes, missing, id, count(*) AS times
WITH nodes, missing, [x IN collect(CASE WHEN id IS NOT NULL AND times > 1 THEN id END) WHERE x IS NOT NULL] AS repeated
RETURN nodes, missing, size(repeated) AS duplicated, repeated[0..3] AS examples
