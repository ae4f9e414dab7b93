// Ad-hoc nearest items through the current run's vector index: the user's
// vector with a 0 appended against the items' MIPS-augmented vectors, so the
// euclidean order is the model's inner-product order. Known items and other
// datasets' items are filtered out (every item the user interacted with, as in RECOMMENDED).
// HNSW search is approximate, and on MIPS-augmented vectors its recall is poor
// (lastfm: 29 of the true top-10 per 100 found with 150 candidates), so by
// default it fetches as many candidates as the dataset has items, which makes
// the answer exact; pass a smaller $candidates to trade exactness for speed.
// $dataset (string), $userId, $k (integer), $candidates (integer or null)
// Returns: itemId, score (the inner product, recomputed), distanceScore,
// name (the title, else the raw source's id, else null)
MATCH (:Dataset {name: $dataset})-[:CURRENT_RUN]->(run:Run)
MATCH (u:User {dataset: $dataset, userId: $userId})
WITH run, u, u[run.embeddingProperty] AS userVector
CALL db.index.vector.queryNodes(run.searchIndex, coalesce($candidates, run.itemCount), userVector + [0.0]) YIELD node AS i, score AS distanceScore
WHERE i.dataset = $dataset AND NOT EXISTS { (u)-[:INTERACTED]->(i) }
WITH i, distanceScore, reduce(s = 0.0, d IN range(0, size(userVector) - 1) | s + userVector[d] * i[run.embeddingProperty][d]) AS score
RETURN i.itemId AS itemId, score, distanceScore, coalesce(i.title, i.orgId) AS name
ORDER BY distanceScore DESC
LIMIT $k
