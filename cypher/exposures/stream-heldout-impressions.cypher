// Every (impression, user, item, clicked) row of a dataset's impressions in one
// split ('valid' or 'test'): the clicks (INTERACTED with an impression id) and
// the shown-but-not-clicked items (EXPOSED). Evaluation ranks each impression's
// items (MIND protocol) and each user's held-out list (RNS protocol).
// $dataset (string), $split (string).
// Returns: impressionId, userId, itemId, clicked (boolean)
CALL {
  MATCH (u:User)-[r:INTERACTED]->(i:Item)
  WHERE r.dataset = $dataset AND r.split = $split AND r.impressionId IS NOT NULL
  RETURN r.impressionId AS impressionId, u.userId AS userId, i.itemId AS itemId, true AS clicked
  UNION ALL
  MATCH (u:User)-[e:EXPOSED]->(i:Item)
  WHERE e.dataset = $dataset AND e.split = $split
  RETURN e.impressionId AS impressionId, u.userId AS userId, i.itemId AS itemId, false AS clicked
}
RETURN impressionId, userId, itemId, clicked
