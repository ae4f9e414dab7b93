// Users of a mapped graph the served run has a vector for, some of whose interactions are timed after
// the run read its data and after any fold-in that refitted them, with all their items: fold-in refits them.
// Slots: userLabel, itemLabel, userId, itemId, types (checked, quoted). $dataset (string),
// $timeOf (map: interaction type -> time property; times read as mapped/stream-interactions reads them, in milliseconds).
// Returns: userId, itemIds
MATCH (:Dataset {name: $dataset})-[:CURRENT_RUN]->(run:Run)
WITH run, coalesce(run.dataReadAtEpochMillis, run.startedAt.epochMillis) AS since
MATCH (u:{{userLabel}})
WHERE u[run.embeddingProperty] IS NOT NULL
OPTIONAL MATCH (u)-[f:KGNEG_RECOMMENDED {dataset: $dataset, runId: run.runId}]->()
WITH run, u, since, max(f.foldedFrom) AS folded
// A user refitted by fold-in is caught up to when that fold read their interactions.
WITH run, u, CASE WHEN folded > since THEN folded ELSE since END AS since
MATCH (u)-[r:{{types}}]->(:{{itemLabel}})
WITH since, u, r[$timeOf[type(r)]] AS t
WITH since, u,
     CASE
       WHEN t IS :: INTEGER | FLOAT THEN t * 1000
       WHEN t IS :: ZONED DATETIME THEN t.epochMillis
       WHEN t IS :: LOCAL DATETIME THEN datetime(t).epochMillis
       WHEN t IS :: DATE THEN datetime({date: t}).epochMillis
     END AS time
WHERE time > since
WITH DISTINCT u
RETURN u.{{userId}} AS userId, [(u)-[:{{types}}]->(i:{{itemLabel}}) WHERE i.{{itemId}} IS NOT NULL | i.{{itemId}}] AS itemIds
