// Keeps a held lock fresh. $set (string), $owner (string)
MATCH (l:MigrationLock {set: $set, owner: $owner})
SET l.heartbeatAt = datetime()
