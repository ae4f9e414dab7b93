// Releases a held lock. $set (string), $owner (string)
MATCH (l:MigrationLock {set: $set, owner: $owner})
REMOVE l.owner, l.host, l.heartbeatAt
