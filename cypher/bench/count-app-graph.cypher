// bench mapped-read: how many READ relationships the application graph holds. Slots: readerLabel, bookLabel.
// Returns: reads
MATCH (:{{readerLabel}})-[r:READ]->(:{{bookLabel}})
RETURN count(r) AS reads
