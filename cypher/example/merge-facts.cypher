// The movie example: one kind of fact, (head)-[:TYPE]->(tail), nodes found or made by Freebase id.
// Slots: headLabel, tailLabel, type (fixed example names). $batch: [{h, t}]
UNWIND $batch AS row
MERGE (h:{{headLabel}} {freebaseId: row.h})
MERGE (t:{{tailLabel}} {freebaseId: row.t})
MERGE (h)-[:{{type}}]->(t)
