// Relationships of the given types between any nodes (exposures, KG triples of a mapped graph).
// Slot: types (checked, quoted, `A`|`B`). Returns: relationships
MATCH ()-[r:{{types}}]->()
RETURN count(r) AS relationships
