// A vector index kgneg's write-back created. Slot: index (a generated kgneg_... name)
DROP INDEX {{index}} IF EXISTS
