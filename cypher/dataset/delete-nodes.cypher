// Removes one label's nodes of a dataset in small transactions.
// Slot {{label}}: User | Item | Entity. $dataset (string)
MATCH (n:{{label}} {dataset: $dataset})
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS
