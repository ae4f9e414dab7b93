// Folded-in users joined to the served run: each user's vector and top-K in one transaction,
// under the run's own property and runId (the served run stays one consistent run).
// Slot: property (the run's embeddingProperty). $dataset, $runId (strings), $foldedFrom (epoch milliseconds: when fold-in read the
// user's interactions; what arrives later is newer than this list). $batch: [{u, v, items, scores}]
UNWIND $batch AS row
MATCH (u:User {dataset: $dataset, userId: row.u})
SET u.{{property}} = row.v
WITH u, row
// A refitted user (newer interactions) replaces the list the run had for them.
CALL (u) {
  MATCH (u)-[old:RECOMMENDED {dataset: $dataset, runId: $runId}]->()
  DELETE old
}
WITH u, row
UNWIND range(0, size(row.items) - 1) AS r
MATCH (i:Item {dataset: $dataset, itemId: row.items[r]})
CREATE (u)-[:RECOMMENDED {dataset: $dataset, runId: $runId, rank: r + 1, score: row.scores[r], foldedIn: true, foldedFrom: $foldedFrom}]->(i)
