// The migrator's own bookkeeping constraint, created before any migration runs.
CREATE CONSTRAINT kgneg_migration_key IF NOT EXISTS
FOR (m:Migration) REQUIRE (m.set, m.version) IS UNIQUE
