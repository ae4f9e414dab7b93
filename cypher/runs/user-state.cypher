// Whether the served run has a vector for a user, and every item the user interacted with.
// $dataset (string), $userId. Returns: known (the node exists), hasVector, itemIds (no row: no served run)
MATCH (:Dataset {name: $dataset})-[:CURRENT_RUN]->(run:Run)
OPTIONAL MATCH (u:User {dataset: $dataset, userId: $userId})
OPTIONAL MATCH (u)-[r:INTERACTED]->(i:Item)
WHERE r.dataset = $dataset
RETURN u IS NOT NULL AS known, u[run.embeddingProperty] IS NOT NULL AS hasVector, collect(DISTINCT i.itemId) AS itemIds
