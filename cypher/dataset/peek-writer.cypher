// Who holds a dataset's writer lock, if anyone. $dataset (string)
// Returns: owner, host, command, since, heartbeatAt (nulls when free; no row: no such dataset)
MATCH (d:Dataset {name: $dataset})
RETURN d.writer AS owner, d.writerHost AS host, d.writerCommand AS command, toString(d.writerSince) AS since, toString(d.writerHeartbeatAt) AS heartbeatAt
