// Users of one dataset. $dataset (string), $batch (list of {id: int|string, orgId: string|null})
UNWIND $batch AS row
MERGE (u:User {dataset: $dataset, userId: row.id})
SET u.orgId = row.orgId
