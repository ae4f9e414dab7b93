// Removes one run's RECOMMENDED relationships in small transactions. $runId (string)
MATCH ()-[x:RECOMMENDED {runId: $runId}]->()
CALL (x) { DELETE x } IN TRANSACTIONS OF 10000 ROWS
