// Benchmark baseline: the rows of ingest/merge-users.cypher loaded server-side.
// $url (string: file:///...csv with header id,orgId), $dataset (string)
LOAD CSV WITH HEADERS FROM $url AS row
CALL (row) {
  MERGE (u:User {dataset: $dataset, userId: toInteger(row.id)})
  SET u.orgId = row.orgId
} IN TRANSACTIONS OF 5000 ROWS
