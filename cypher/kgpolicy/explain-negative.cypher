// Why is user u less interested in j than in i? For the current run's KGPolicy
// negatives of one user: the positive i, the negative j, the exploring path
// (i -> e' -> ... -> j as "kind:id" strings), whether every hop is a graph edge
// (false when a hop took one of the random items added for diversity), and the
// KG entities of i that j lacks (KGPolicy section 2's explanation).
// $dataset (string), $userId (the dataset's id)
// Returns: positive, negative, path, viaGraph, exclusiveEntities, runId
MATCH (:Dataset {name: $dataset})-[:CURRENT_RUN]->(run:Run)
MATCH (u:User {dataset: $dataset, userId: $userId})-[x:KGPOLICY_NEGATIVE {runId: run.runId}]->(j:Item)
MATCH (i:Item {dataset: $dataset, itemId: x.positiveId})
RETURN i.itemId AS positive, j.itemId AS negative, x.path AS path, x.viaGraph AS viaGraph,
       [(i)-[k:KG]-(p:Entity) WHERE k.dataset = $dataset
          AND NOT EXISTS { MATCH (j)-[k2:KG]-(p) WHERE k2.dataset = $dataset } | p.entityId] AS exclusiveEntities,
       run.runId AS runId
ORDER BY positive
