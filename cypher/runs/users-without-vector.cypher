// Users with interactions whom the served run has no vector for (they arrived after it), with their items.
// $dataset (string). Returns: userId, itemIds
MATCH (:Dataset {name: $dataset})-[:CURRENT_RUN]->(run:Run)
MATCH (u:User {dataset: $dataset})
WHERE u[run.embeddingProperty] IS NULL
WITH u, [(u)-[r:INTERACTED]->(i:Item) WHERE r.dataset = $dataset | i.itemId] AS itemIds
WHERE size(itemIds) > 0
RETURN u.userId AS userId, itemIds
