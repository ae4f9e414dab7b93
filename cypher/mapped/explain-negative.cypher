// A user's KGPolicy negatives on a mapped graph: the path, and the positive's KG neighbours the negative lacks.
// Slots: userLabel, itemLabel, userId, itemId, title, kgTypes (checked, quoted). $dataset, $userId (text)
MATCH (:Dataset {name: $dataset})-[:CURRENT_RUN]->(run:Run)
MATCH (u:{{userLabel}})-[x:KGPOLICY_NEGATIVE {runId: run.runId}]->(j:{{itemLabel}})
WHERE toString(u.{{userId}}) = $userId
MATCH (i:{{itemLabel}}) WHERE i.{{itemId}} = x.positiveId
RETURN i.{{itemId}} AS positive, j.{{itemId}} AS negative, x.path AS path, x.viaGraph AS viaGraph,
       [(i)-[:{{kgTypes}}]-(p) WHERE NOT EXISTS { (j)-[:{{kgTypes}}]-(p) } | coalesce(p.name, p.title, p.freebaseId, elementId(p))] AS exclusiveEntities,
       run.runId AS runId
ORDER BY positive
