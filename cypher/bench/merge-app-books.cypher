// bench mapped-read: the application graph's books. Slot: bookLabel. $batch: [id]
UNWIND $batch AS id
MERGE (:{{bookLabel}} {bookId: id})
