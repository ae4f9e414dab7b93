// One writer per dataset (training write-back, forget): the lock is properties of the (:Dataset)
// node. The first SET takes the node's write lock, so the check below sees any writer that
// committed first. A holder is free to take over when its heartbeat is older than $staleMs,
// or when it is $deadOwner (on this host, its process is gone).
// $dataset, $owner, $host, $command (strings), $deadOwner (string or null), $staleMs (integer)
// Returns: acquired, owner, command, since (no row: no such dataset)
MATCH (d:Dataset {name: $dataset})
SET d.writerClaim = $owner
WITH d,
     d.writer IS NULL
       OR d.writer = $owner
       OR d.writer = $deadOwner
       OR d.writerHeartbeatAt < datetime() - duration({milliseconds: $staleMs}) AS free
SET d.writer = CASE WHEN free THEN $owner ELSE d.writer END,
    d.writerHost = CASE WHEN free THEN $host ELSE d.writerHost END,
    d.writerCommand = CASE WHEN free THEN $command ELSE d.writerCommand END,
    d.writerSince = CASE WHEN free THEN datetime() ELSE d.writerSince END,
    d.writerHeartbeatAt = CASE WHEN free THEN datetime() ELSE d.writerHeartbeatAt END
REMOVE d.writerClaim
RETURN free AS acquired, d.writer AS owner, d.writerCommand AS command, toString(d.writerSince) AS since, d.writerHost AS host
