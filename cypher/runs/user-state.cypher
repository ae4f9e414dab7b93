// Whether the served run has a vector for a user, every item the user interacted with, and whether
// some of those interactions arrived after the run read its data (loaded by a later growth: addedAt)
// and after any fold-in that refitted the user.
// $dataset (string), $userId. Returns: known (the node exists), hasVector, itemIds, newer (no row: no served run)
MATCH (:Dataset {name: $dataset})-[:CURRENT_RUN]->(run:Run)
WITH run, coalesce(run.dataReadAtEpochMillis, run.startedAt.epochMillis) AS since
OPTIONAL MATCH (u:User {dataset: $dataset, userId: $userId})
OPTIONAL MATCH (u)-[f:RECOMMENDED {dataset: $dataset, runId: run.runId}]->()
WITH run, u, since, max(f.foldedFrom) AS folded
// A user refitted by fold-in is caught up to when that fold read their interactions.
WITH run, u, CASE WHEN folded > since THEN folded ELSE since END AS since
OPTIONAL MATCH (u)-[r:INTERACTED]->(i:Item)
WHERE r.dataset = $dataset
RETURN u IS NOT NULL AS known, u[run.embeddingProperty] IS NOT NULL AS hasVector, collect(DISTINCT i.itemId) AS itemIds,
       count(CASE WHEN r.addedAt.epochMillis > since THEN 1 END) > 0 AS newer
