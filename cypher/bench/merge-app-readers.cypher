// bench mapped-read: the application graph's readers. Slot: readerLabel. $batch: [id]
UNWIND $batch AS id
MERGE (:{{readerLabel}} {readerId: id})
