// Benchmark baseline: the rows of ingest/merge-interactions.cypher loaded server-side.
// $url (header key,u,i,split), $dataset
LOAD CSV WITH HEADERS FROM $url AS row
CALL (row) {
  MATCH (u:User {dataset: $dataset, userId: toInteger(row.u)})
  MATCH (i:Item {dataset: $dataset, itemId: toInteger(row.i)})
  MERGE (u)-[r:INTERACTED {dataset: $dataset, key: row.key}]->(i)
  SET r.split = row.split
} IN TRANSACTIONS OF 5000 ROWS
