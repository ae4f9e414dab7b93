// runs/changes-since-run on a mapped graph: users and items with interactions
// that the served run has no vector for, and interactions timed after the run
// read its data. Slots: userLabel, itemLabel, userId, itemId, types (checked,
// quoted). $dataset (string), $timeOf (map: interaction type -> time property).
// Times are read as mapped/stream-interactions reads them, in milliseconds (a number: epoch seconds).
// Returns: runId, startedAt (text), newUsers, newItems, newerInteractions, usersWithNewer, timed
MATCH (:Dataset {name: $dataset})-[:CURRENT_RUN]->(run:Run)
CALL (run) {
  MATCH (u:{{userLabel}})
  WHERE u[run.embeddingProperty] IS NULL AND u.{{userId}} IS NOT NULL AND EXISTS { (u)-[:{{types}}]->(:{{itemLabel}}) }
  RETURN count(u) AS newUsers
}
CALL (run) {
  MATCH (i:{{itemLabel}})
  WHERE i[run.embeddingProperty] IS NULL AND i.{{itemId}} IS NOT NULL AND EXISTS { (:{{userLabel}})-[:{{types}}]->(i) }
  RETURN count(i) AS newItems
}
CALL (run) {
  MATCH (u:{{userLabel}})-[r:{{types}}]->(:{{itemLabel}})
  WITH u, r[$timeOf[type(r)]] AS t, coalesce(run.dataReadAtEpochMillis, run.startedAt.epochMillis) AS since
  WITH u, since,
       CASE
         WHEN t IS :: INTEGER | FLOAT THEN t * 1000
         WHEN t IS :: ZONED DATETIME THEN t.epochMillis
         WHEN t IS :: LOCAL DATETIME THEN datetime(t).epochMillis
         WHEN t IS :: DATE THEN datetime({date: t}).epochMillis
       END AS time
  RETURN count(time) > 0 AS timed,
         count(CASE WHEN time > since THEN 1 END) AS newerInteractions,
         count(DISTINCT CASE WHEN time > since THEN u END) AS usersWithNewer
}
RETURN run.runId AS runId, toString(CASE WHEN run.dataReadAtEpochMillis IS NULL THEN run.startedAt ELSE datetime({epochMillis: toInteger(run.dataReadAtEpochMillis)}) END) AS startedAt, newUsers, newItems, newerInteractions, usersWithNewer, timed
