// Users the served run has a vector for, some of whose interactions arrived after the run read its
// data (loaded by a later growth of the files: addedAt) and after any fold-in that refitted them,
// with all their items: fold-in refits them.
// $dataset (string). Returns: userId, itemIds
MATCH (:Dataset {name: $dataset})-[:CURRENT_RUN]->(run:Run)
WITH run, coalesce(run.dataReadAtEpochMillis, run.startedAt.epochMillis) AS since
MATCH (u:User {dataset: $dataset})-[r:INTERACTED]->(:Item)
WHERE r.dataset = $dataset AND r.addedAt.epochMillis > since AND u[run.embeddingProperty] IS NOT NULL
WITH DISTINCT run, since, u
OPTIONAL MATCH (u)-[f:RECOMMENDED {dataset: $dataset, runId: run.runId}]->()
WITH run, u, since, max(f.foldedFrom) AS folded
// A user refitted by fold-in is caught up to when that fold read their interactions.
WITH run, u, CASE WHEN folded > since THEN folded ELSE since END AS since
WHERE EXISTS { (u)-[r:INTERACTED]->(:Item) WHERE r.dataset = $dataset AND r.addedAt.epochMillis > since }
RETURN u.userId AS userId, [(u)-[r:INTERACTED]->(i:Item) WHERE r.dataset = $dataset | i.itemId] AS itemIds
