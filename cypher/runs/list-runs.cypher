// Every run of a dataset with the names its write-back created.
// $dataset (string). Returns: runId, embeddingProperty, searchProperty, searchIndex
MATCH (r:Run {dataset: $dataset})
RETURN r.runId AS runId, r.embeddingProperty AS embeddingProperty, r.searchProperty AS searchProperty, r.searchIndex AS searchIndex
