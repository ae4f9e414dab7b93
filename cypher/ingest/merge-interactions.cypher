// Interactions (positives). $dataset (string),
// $batch (list of {key, u, i, split, ts, rating, imp, src, added}; absent values are null;
// added: the files' checksum of a growth that adds the row, see src/graph/datasets/growth.ts;
// such a row also gets addedAt, when it first arrived: what a run that read the data earlier has not seen)
// Properties are SET by name (null writes nothing): `SET r += map` would make the
// planner add an Eager barrier, since it cannot rule out a write to the merge key.
UNWIND $batch AS row
MATCH (u:User {dataset: $dataset, userId: row.u})
MATCH (i:Item {dataset: $dataset, itemId: row.i})
MERGE (u)-[r:INTERACTED {dataset: $dataset, key: row.key}]->(i)
SET r.split = row.split, r.timestamp = row.ts, r.rating = row.rating,
    r.impressionId = row.imp, r.source = row.src, r.addedBy = row.added,
    r.addedAt = CASE WHEN row.added IS NULL THEN null ELSE coalesce(r.addedAt, datetime()) END
