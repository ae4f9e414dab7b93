// Benchmark baseline: the rows of ingest/merge-entities.cypher loaded server-side.
// $url (header id), $dataset
LOAD CSV WITH HEADERS FROM $url AS row
CALL (row) {
  MERGE (:Entity {dataset: $dataset, entityId: toInteger(row.id)})
} IN TRANSACTIONS OF 5000 ROWS
