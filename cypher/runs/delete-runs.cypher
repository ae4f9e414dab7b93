// A dataset's (:Run) nodes and their CURRENT_RUN link (kgneg's own nodes).
// $dataset (string)
MATCH (r:Run {dataset: $dataset})
DETACH DELETE r
