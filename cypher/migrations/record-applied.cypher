// Records one applied migration. $set, $version, $name, $checksum (strings), $ms (integer)
MERGE (m:Migration {set: $set, version: $version})
SET m.name = $name, m.checksum = $checksum, m.appliedAt = datetime(), m.ms = $ms
