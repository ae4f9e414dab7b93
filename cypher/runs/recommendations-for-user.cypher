// The current run's top-K for one user, as written back, with each item's
// display name: its title (RecBole .item, MIND news.tsv), else its id in the
// raw source (KGAT item_list.txt, KGCN item_index2entity_id.txt), else null.
// $dataset (string), $userId (the dataset's id), $k (integer)
// Returns: itemId, rank, score, runId, name
MATCH (:Dataset {name: $dataset})-[:CURRENT_RUN]->(run:Run)
MATCH (u:User {dataset: $dataset, userId: $userId})-[r:RECOMMENDED {runId: run.runId}]->(i:Item)
WHERE r.rank <= $k
RETURN i.itemId AS itemId, r.rank AS rank, r.score AS score, run.runId AS runId,
       coalesce(i.title, i.orgId) AS name
ORDER BY r.rank
