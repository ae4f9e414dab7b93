// Every stored interaction of a dataset by key, with its split and the files'
// checksum of the growth that added it (null: the first load), for a growth
// of its files (src/graph/datasets/growth.ts). $dataset (string).
// Returns: key, split, addedBy
MATCH (:User)-[r:INTERACTED]->(:Item)
WHERE r.dataset = $dataset
RETURN r.key AS key, r.split AS split, r.addedBy AS addedBy
