// What changed in a dataset since its served run was trained: users and items
// with interactions that the run has no vector for (they arrived after it),
// and the interactions timed after the run read its data, with their users.
// $dataset (string). Returns: runId, startedAt (text), newUsers, newItems,
// newerInteractions, usersWithNewer, timed (whether any interaction has a time)
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
  WITH u, r.timestamp AS t, coalesce(run.dataReadAtEpochSeconds, run.startedAt.epochSeconds) AS since
  RETURN count(t) > 0 AS timed,
         count(CASE WHEN t > since THEN 1 END) AS newerInteractions,
         count(DISTINCT CASE WHEN t > since THEN u END) AS usersWithNewer
}
RETURN run.runId AS runId, toString(CASE WHEN run.dataReadAtEpochSeconds IS NULL THEN run.startedAt ELSE datetime({epochSeconds: toInteger(run.dataReadAtEpochSeconds)}) END) AS startedAt, newUsers, newItems, newerInteractions, usersWithNewer, timed
