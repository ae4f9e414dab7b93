// The movie example: knowledge-graph nodes are found by their Freebase id. Slot: label (a fixed example label)
CREATE INDEX {{index}} IF NOT EXISTS FOR (n:{{label}}) ON (n.freebaseId)
