// The interactions of a dataset with their split, streamed to the trainer.
// $dataset (string). Returns: userId, itemId, split ('train' | 'valid' | 'test')
MATCH (u:User)-[r:INTERACTED]->(i:Item)
WHERE r.dataset = $dataset
RETURN u.userId AS userId, i.itemId AS itemId, r.split AS split
