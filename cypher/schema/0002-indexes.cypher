// Indexes for the per-dataset reads of ingestion statistics, training data
// export and re-splitting: "all train interactions of dataset X" and friends.
CREATE INDEX kgneg_user_dataset IF NOT EXISTS FOR (u:User) ON (u.dataset);
CREATE INDEX kgneg_item_dataset IF NOT EXISTS FOR (i:Item) ON (i.dataset);
CREATE INDEX kgneg_entity_dataset IF NOT EXISTS FOR (e:Entity) ON (e.dataset);
CREATE INDEX kgneg_interacted_split IF NOT EXISTS FOR ()-[r:INTERACTED]-() ON (r.dataset, r.split);
CREATE INDEX kgneg_exposed_split IF NOT EXISTS FOR ()-[r:EXPOSED]-() ON (r.dataset, r.split);
CREATE INDEX kgneg_kg_relation IF NOT EXISTS FOR ()-[r:KG]-() ON (r.dataset, r.relationId);
