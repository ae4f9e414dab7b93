// A few of a user's own items on a mapped graph, with their names (every interaction, not only training).
// Slots: userLabel, itemLabel, userId, itemId, title, types. $userId (text), $limit (integer)
MATCH (u:{{userLabel}})-[:{{types}}]->(i:{{itemLabel}})
WHERE toString(u.{{userId}}) = $userId
WITH DISTINCT i
ORDER BY i.{{itemId}}
WITH collect({itemId: i.{{itemId}}, name: toString(i.{{title}}), rating: null, latest: null}) AS items
RETURN size(items) AS total, items[0..$limit] AS items
