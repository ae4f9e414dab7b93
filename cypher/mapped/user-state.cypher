// Whether the served run has a vector for a user of a mapped graph, every item the user interacted
// with, and whether some of those interactions are timed after the run read its data and after any
// fold-in that refitted the user.
// Slots: userLabel, itemLabel, userId, itemId, types (checked, quoted). $dataset, $userId (text),
// $timeOf (map: interaction type -> time property; times read as mapped/stream-interactions reads them, in milliseconds).
MATCH (:Dataset {name: $dataset})-[:CURRENT_RUN]->(run:Run)
WITH run, coalesce(run.dataReadAtEpochMillis, run.startedAt.epochMillis) AS since
OPTIONAL MATCH (u:{{userLabel}}) WHERE toString(u.{{userId}}) = $userId
OPTIONAL MATCH (u)-[f:KGNEG_RECOMMENDED {dataset: $dataset, runId: run.runId}]->()
WITH run, u, since, max(f.foldedFrom) AS folded
// A user refitted by fold-in is caught up to when that fold read their interactions.
WITH run, u, CASE WHEN folded > since THEN folded ELSE since END AS since
OPTIONAL MATCH (u)-[r:{{types}}]->(i:{{itemLabel}})
WITH run, since, u, i, r[$timeOf[type(r)]] AS t
WITH run, since, u, i,
     CASE
       WHEN t IS :: INTEGER | FLOAT THEN t * 1000
       WHEN t IS :: ZONED DATETIME THEN t.epochMillis
       WHEN t IS :: LOCAL DATETIME THEN datetime(t).epochMillis
       WHEN t IS :: DATE THEN datetime({date: t}).epochMillis
     END AS time
RETURN u IS NOT NULL AS known, u[run.embeddingProperty] IS NOT NULL AS hasVector, collect(DISTINCT i.{{itemId}}) AS itemIds,
       count(CASE WHEN time > since THEN 1 END) > 0 AS newer
