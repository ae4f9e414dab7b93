// Benchmark baseline: the rows of ingest/merge-triples.cypher loaded server-side.
// $url (header key,h,t,r,name,count), $dataset
LOAD CSV WITH HEADERS FROM $url AS row
CALL (row) {
  MATCH (h:Entity {dataset: $dataset, entityId: toInteger(row.h)})
  MATCH (t:Entity {dataset: $dataset, entityId: toInteger(row.t)})
  MERGE (h)-[k:KG {dataset: $dataset, key: row.key}]->(t)
  SET k.relationId = toInteger(row.r), k.relation = row.name, k.count = toInteger(row.count)
} IN TRANSACTIONS OF 5000 ROWS
