// One lock node per migration set.
CREATE CONSTRAINT kgneg_migration_lock_key IF NOT EXISTS
FOR (l:MigrationLock) REQUIRE l.set IS UNIQUE
