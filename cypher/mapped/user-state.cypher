// Whether the served run has a vector for a user of a mapped graph, and every item the user interacted with.
// Slots: userLabel, itemLabel, userId, itemId, types (checked, quoted). $dataset, $userId (text).
MATCH (:Dataset {name: $dataset})-[:CURRENT_RUN]->(run:Run)
OPTIONAL MATCH (u:{{userLabel}}) WHERE toString(u.{{userId}}) = $userId
OPTIONAL MATCH (u)-[:{{types}}]->(i:{{itemLabel}})
RETURN u IS NOT NULL AS known, u[run.embeddingProperty] IS NOT NULL AS hasVector, collect(DISTINCT i.{{itemId}}) AS itemIds
