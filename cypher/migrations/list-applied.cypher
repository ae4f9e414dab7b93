// Applied migrations of a set, in order. $set (string)
// Returns: version (string), name (string), checksum (string), appliedAt (string), ms (integer)
MATCH (m:Migration {set: $set})
RETURN m.version AS version, m.name AS name, m.checksum AS checksum,
       toString(m.appliedAt) AS appliedAt, m.ms AS ms
ORDER BY m.version
