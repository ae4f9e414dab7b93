// Takes the lock of a migration set unless someone holds it.
// $set (string), $owner (string: host/pid/random), $host (string), $staleMs (integer)
// A lock whose holder stopped sending heartbeats for $staleMs is taken over;
// $deadOwner (string or null) names a holder on this host known to be dead.
// Returns: acquired (boolean), owner (string), host (string), heartbeatAt (datetime)
MERGE (l:MigrationLock {set: $set})
WITH l,
     l.owner IS NULL
       OR l.owner = $owner
       OR l.owner = $deadOwner
       OR l.heartbeatAt < datetime() - duration({milliseconds: $staleMs}) AS free
SET l.owner = CASE WHEN free THEN $owner ELSE l.owner END,
    l.host = CASE WHEN free THEN $host ELSE l.host END,
    l.heartbeatAt = CASE WHEN free THEN datetime() ELSE l.heartbeatAt END
RETURN free AS acquired, l.owner AS owner, l.host AS host, toString(l.heartbeatAt) AS heartbeatAt
