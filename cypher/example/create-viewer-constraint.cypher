// The movie example's own schema, as an application would declare it (idempotent).
CREATE CONSTRAINT example_viewer_id IF NOT EXISTS FOR (v:Viewer) REQUIRE v.viewerId IS UNIQUE
