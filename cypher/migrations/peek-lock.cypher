// Who holds the lock of a migration set, if anyone.
// $set (string). Returns: owner (string or null), host (string or null)
OPTIONAL MATCH (l:MigrationLock {set: $set})
RETURN l.owner AS owner, l.host AS host
