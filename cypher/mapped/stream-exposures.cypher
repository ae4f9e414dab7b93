// Exposures of a mapped graph: (user)-[:TYPE]->(item) shown, whether or not interacted with
// (the trainer keeps those not interacted with in training). A relationship may carry a count.
// Slots: userLabel, itemLabel, type (checked, quoted). $userId, $itemId: id property names.
// Returns: userId, itemId, shown (times)
MATCH (u:{{userLabel}})-[r:{{type}}]->(i:{{itemLabel}})
WITH u[$userId] AS userId, i[$itemId] AS itemId, count(r) AS shown
WHERE userId IS NOT NULL AND itemId IS NOT NULL
RETURN userId, itemId, shown
