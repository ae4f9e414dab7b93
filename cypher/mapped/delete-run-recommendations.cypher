// A superseded run's KGNEG_RECOMMENDED relationships on a mapped graph. $runId (string)
MATCH ()-[x:KGNEG_RECOMMENDED {runId: $runId}]->()
CALL (x) { DELETE x } IN TRANSACTIONS OF 10000 ROWS
