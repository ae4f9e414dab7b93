// The interactions of one relationship type of a mapped graph, streamed to the trainer.
// Slots: userLabel, itemLabel (node labels), type (relationship type), all checked
// against the live database and backtick-quoted. $userId, $itemId: id property names;
// $time, $rating: property names or null (r[null] is null). Times that are Neo4j
// temporals become epoch seconds: a datetime has them; a local datetime, and a date
// at midnight, are read in the database's default time zone. Other values are null.
// Type predicates and .epochSeconds, not valueType() strings and datetime() on each
// row: this runs once per interaction (bench mapped-read).
// Returns: userId, itemId, time (number or null), rating (number or null)
MATCH (u:{{userLabel}})-[r:{{type}}]->(i:{{itemLabel}})
WITH u[$userId] AS userId, i[$itemId] AS itemId, r[$time] AS t, r[$rating] AS rating
WHERE userId IS NOT NULL AND itemId IS NOT NULL
RETURN userId, itemId,
       CASE
         WHEN t IS :: INTEGER | FLOAT THEN t
         WHEN t IS :: ZONED DATETIME THEN t.epochSeconds
         WHEN t IS :: LOCAL DATETIME THEN datetime(t).epochSeconds
         WHEN t IS :: DATE THEN datetime({date: t}).epochSeconds
       END AS time,
       CASE WHEN rating IS :: INTEGER | FLOAT THEN rating END AS rating
