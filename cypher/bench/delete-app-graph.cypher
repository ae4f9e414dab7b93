// bench warm-start: removes a benchmark's own application graph (every node of
// the label and its relationships), 10,000 nodes a transaction. Slot: label.
MATCH (n:{{label}})
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
