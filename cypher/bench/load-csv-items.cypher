// Benchmark baseline: the rows of ingest/merge-items.cypher loaded server-side.
// $url (header id,entityId,orgId,freebaseId), $dataset
LOAD CSV WITH HEADERS FROM $url AS row
CALL (row) {
  MERGE (i:Item {dataset: $dataset, itemId: toInteger(row.id)})
  SET i.orgId = row.orgId, i.freebaseId = row.freebaseId, i:Entity, i.entityId = toInteger(row.entityId)
} IN TRANSACTIONS OF 5000 ROWS
