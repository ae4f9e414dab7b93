// Removes one relationship type of a dataset in small transactions.
// Slot {{type}}: INTERACTED | EXPOSED | KG. $dataset (string)
MATCH ()-[r:{{type}}]->() WHERE r.dataset = $dataset
CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS
