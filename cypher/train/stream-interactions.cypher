// The interactions of a dataset with their split, streamed to the trainer.
// $dataset (string), $minRating (number or null: keep only interactions rated at
// least this, for formats with ratings; unrated interactions are always kept).
// Returns: userId, itemId, split ('train' | 'valid' | 'test')
MATCH (u:User)-[r:INTERACTED]->(i:Item)
WHERE r.dataset = $dataset AND ($minRating IS NULL OR r.rating IS NULL OR r.rating >= $minRating)
RETURN u.userId AS userId, i.itemId AS itemId, r.split AS split
