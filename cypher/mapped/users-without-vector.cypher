// Users of a mapped graph with interactions whom the served run has no vector for, with their items.
// Slots: userLabel, itemLabel, userId, itemId, types (checked, quoted). $dataset (string). Returns: userId, itemIds
MATCH (:Dataset {name: $dataset})-[:CURRENT_RUN]->(run:Run)
MATCH (u:{{userLabel}})
WHERE u[run.embeddingProperty] IS NULL AND u.{{userId}} IS NOT NULL
WITH u, [(u)-[:{{types}}]->(i:{{itemLabel}}) WHERE i.{{itemId}} IS NOT NULL | i.{{itemId}}] AS itemIds
WHERE size(itemIds) > 0
RETURN u.{{userId}} AS userId, itemIds
