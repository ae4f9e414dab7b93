// What Neo4j holds for one dataset. $dataset (string)
// Returns: users, items, entities (every :Entity, items that are entities included),
// interactions and per split, exposures (relationships) and exposureOccurrences
// (their summed count), triples, relations (distinct relation ids in triples).
CALL () { MATCH (u:User {dataset: $dataset}) RETURN count(u) AS users }
CALL () { MATCH (i:Item {dataset: $dataset}) RETURN count(i) AS items }
CALL () { MATCH (e:Entity {dataset: $dataset}) RETURN count(e) AS entities }
CALL () {
  MATCH ()-[r:INTERACTED]->() WHERE r.dataset = $dataset
  RETURN count(r) AS interactions,
         count(CASE WHEN r.split = 'train' THEN 1 END) AS trainInteractions,
         count(CASE WHEN r.split = 'valid' THEN 1 END) AS validInteractions,
         count(CASE WHEN r.split = 'test' THEN 1 END) AS testInteractions
}
CALL () {
  MATCH ()-[r:EXPOSED]->() WHERE r.dataset = $dataset
  RETURN count(r) AS exposures, coalesce(sum(r.count), 0) AS exposureOccurrences
}
CALL () {
  MATCH ()-[r:KG]->() WHERE r.dataset = $dataset
  RETURN count(r) AS triples, count(DISTINCT r.relationId) AS relations
}
RETURN users, items, entities, interactions, trainInteractions, validInteractions, testInteractions,
       exposures, exposureOccurrences, triples, relations
