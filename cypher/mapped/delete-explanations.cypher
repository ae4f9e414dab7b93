// kgneg's KGPolicy explanations on a mapped graph, for one dataset. $dataset (string)
MATCH ()-[x:KGPOLICY_NEGATIVE {dataset: $dataset}]->()
CALL (x) { DELETE x } IN TRANSACTIONS OF 10000 ROWS
