// The writer lock's heartbeat. $dataset, $owner (strings)
MATCH (d:Dataset {name: $dataset, writer: $owner})
SET d.writerHeartbeatAt = datetime()
