// The served run's item vectors, for fitting a user the run does not know (fold-in).
// $dataset (string). Returns: itemId, vector, name
MATCH (:Dataset {name: $dataset})-[:CURRENT_RUN]->(run:Run)
MATCH (i:Item {dataset: $dataset})
WHERE i[run.embeddingProperty] IS NOT NULL
RETURN i.itemId AS itemId, i[run.embeddingProperty] AS vector, coalesce(i.title, i.orgId) AS name
