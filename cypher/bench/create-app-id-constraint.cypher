// bench mapped-read: the application graph's own id constraint, as an application would declare it (idempotent).
// Slots: label (the node label), id (the id property), both quoted.
CREATE CONSTRAINT IF NOT EXISTS FOR (n:{{label}}) REQUIRE n.{{id}} IS UNIQUE
