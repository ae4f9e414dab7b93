// Training runs written back to the graph: one (:Run) per run, the dataset's
// current run behind (:Dataset)-[:CURRENT_RUN]->(:Run), and RECOMMENDED
// relationships tagged with their run.
CREATE CONSTRAINT kgneg_run_key IF NOT EXISTS
FOR (r:Run) REQUIRE r.runId IS UNIQUE;

CREATE INDEX kgneg_run_dataset IF NOT EXISTS FOR (r:Run) ON (r.dataset);
CREATE INDEX kgneg_recommended_run IF NOT EXISTS FOR ()-[r:RECOMMENDED]-() ON (r.runId);
