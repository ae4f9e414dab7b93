// kgneg's recommendations between the nodes of a mapped graph, for one dataset.
// $dataset (string)
MATCH ()-[x:KGNEG_RECOMMENDED {dataset: $dataset}]->()
CALL (x) { DELETE x } IN TRANSACTIONS OF 10000 ROWS
