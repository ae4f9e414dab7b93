// Folded-in users of a mapped graph joined to the served run: vector and top-K per user, one transaction per batch.
// Slots: userLabel, itemLabel, userId, itemId (checked, quoted), property (the run's kgneg_ property).
// $dataset, $runId (strings), $foldedFrom (epoch milliseconds: when fold-in read the
// user's interactions; what arrives later is newer than this list). $batch: [{u, v, items, scores}]
UNWIND $batch AS row
MATCH (u:{{userLabel}}) WHERE u.{{userId}} = row.u
SET u.{{property}} = row.v
WITH u, row
// A refitted user (newer interactions) replaces the list the run had for them.
CALL (u) {
  MATCH (u)-[old:KGNEG_RECOMMENDED {dataset: $dataset, runId: $runId}]->()
  DELETE old
}
WITH u, row
UNWIND range(0, size(row.items) - 1) AS r
MATCH (i:{{itemLabel}}) WHERE i.{{itemId}} = row.items[r]
CREATE (u)-[:KGNEG_RECOMMENDED {dataset: $dataset, runId: $runId, rank: r + 1, score: row.scores[r], foldedIn: true, foldedFrom: $foldedFrom}]->(i)
