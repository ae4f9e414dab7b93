// The served run's item vectors on a mapped graph, for fold-in.
// Slots: itemLabel, itemId, title (checked, quoted). $dataset (string). Returns: itemId, vector, name
MATCH (:Dataset {name: $dataset})-[:CURRENT_RUN]->(run:Run)
MATCH (i:{{itemLabel}})
WHERE i[run.embeddingProperty] IS NOT NULL
RETURN i.{{itemId}} AS itemId, i[run.embeddingProperty] AS vector, toString(i.{{title}}) AS name
