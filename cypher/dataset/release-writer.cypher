// Releases the writer lock if this owner holds it. $dataset, $owner (strings)
MATCH (d:Dataset {name: $dataset, writer: $owner})
REMOVE d.writer, d.writerHost, d.writerCommand, d.writerSince, d.writerHeartbeatAt
