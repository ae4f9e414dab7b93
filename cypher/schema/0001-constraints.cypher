// Uniqueness constraints for every key kgneg merges on (Neo4j 5.26 community
// supports node and relationship uniqueness constraints, composite too; key and
// existence constraints are Enterprise-only). Every key starts with `dataset`,
// the name a dataset was ingested under: that is how several datasets share
// community's single user database. Each constraint brings its range index.
CREATE CONSTRAINT kgneg_dataset_name IF NOT EXISTS
FOR (d:Dataset) REQUIRE d.name IS UNIQUE;

CREATE CONSTRAINT kgneg_user_key IF NOT EXISTS
FOR (u:User) REQUIRE (u.dataset, u.userId) IS UNIQUE;

CREATE CONSTRAINT kgneg_item_key IF NOT EXISTS
FOR (i:Item) REQUIRE (i.dataset, i.itemId) IS UNIQUE;

CREATE CONSTRAINT kgneg_entity_key IF NOT EXISTS
FOR (e:Entity) REQUIRE (e.dataset, e.entityId) IS UNIQUE;

// Relationship keys are JSON arrays of the endpoint ids (and the impression
// for MIND), built in src/graph/datasets/records.ts.
CREATE CONSTRAINT kgneg_interacted_key IF NOT EXISTS
FOR ()-[r:INTERACTED]-() REQUIRE (r.dataset, r.key) IS UNIQUE;

CREATE CONSTRAINT kgneg_exposed_key IF NOT EXISTS
FOR ()-[r:EXPOSED]-() REQUIRE (r.dataset, r.key) IS UNIQUE;

CREATE CONSTRAINT kgneg_kg_key IF NOT EXISTS
FOR ()-[r:KG]-() REQUIRE (r.dataset, r.key) IS UNIQUE;
