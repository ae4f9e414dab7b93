// What changed in a dataset since its served run was trained: users and items
// with interactions that the run has no vector for (they arrived after it),
// and the interactions that arrived after the run read its data (loaded by a
// growth of the files later: addedAt), with their users.
// $dataset (string). Returns: runId, startedAt (text), newUsers, newItems,
// newerInteractions, usersWithNewer, timed (true: every row's arrival is known)
MATCH (:Dataset {name: $dataset})-[:CURRENT_RUN]->(run:Run)
CALL (run) {
  MATCH (u:User {dataset: $dataset})
  WHERE u[run.embeddingProperty] IS NULL AND EXISTS { (u)-[r:INTERACTED]->(:Item) WHERE r.dataset = $dataset }
  RETURN count(u) AS newUsers
}
CALL (run) {
  MATCH (i:Item {dataset: $dataset})
  WHERE i[run.embeddingProperty] IS NULL AND EXISTS { (:User)-[r:INTERACTED]->(i) WHERE r.dataset = $dataset }
  RETURN count(i) AS newItems
}
CALL (run) {
  MATCH (u:User {dataset: $dataset})-[r:INTERACTED]->(:Item)
  WHERE r.dataset = $dataset
  WITH u, r.addedAt.epochMillis AS t, coalesce(run.dataReadAtEpochMillis, run.startedAt.epochMillis) AS since
  RETURN true AS timed,
         count(CASE WHEN t > since THEN 1 END) AS newerInteractions,
         count(DISTINCT CASE WHEN t > since THEN u END) AS usersWithNewer
}
RETURN run.runId AS runId, toString(CASE WHEN run.dataReadAtEpochMillis IS NULL THEN run.startedAt ELSE datetime({epochMillis: toInteger(run.dataReadAtEpochMillis)}) END) AS startedAt, newUsers, newItems, newerInteractions, usersWithNewer, timed
