// The interactions of one relationship type of a mapped graph, streamed to the trainer.
// Slots: userLabel, itemLabel (node labels), type (relationship type), all checked
// against the live database and backtick-quoted. $userId, $itemId: id property names;
// $time, $rating: property names or null. Times that are Neo4j temporals become epoch seconds.
// Returns: userId, itemId, time (number or null), rating (number or null)
MATCH (u:{{userLabel}})-[r:{{type}}]->(i:{{itemLabel}})
WITH u[$userId] AS userId, i[$itemId] AS itemId,
     CASE WHEN $time IS NULL THEN null ELSE r[$time] END AS t,
     CASE WHEN $rating IS NULL THEN null ELSE r[$rating] END AS rating
WHERE userId IS NOT NULL AND itemId IS NOT NULL
RETURN userId, itemId,
       CASE
         WHEN t IS NULL THEN null
         WHEN valueType(t) STARTS WITH 'INTEGER' OR valueType(t) STARTS WITH 'FLOAT' THEN t
         WHEN valueType(t) STARTS WITH 'ZONED DATETIME' OR valueType(t) STARTS WITH 'LOCAL DATETIME' OR valueType(t) STARTS WITH 'DATE' THEN datetime(t).epochSeconds
         ELSE null
       END AS time,
       CASE WHEN rating IS NULL OR valueType(rating) STARTS WITH 'INTEGER' OR valueType(rating) STARTS WITH 'FLOAT' THEN rating ELSE null END AS rating
