// bench mapped-read: one READ per interaction, at a datetime. Slots: readerLabel, bookLabel.
// $batch: [{u, i, t (integer epoch seconds)}]
UNWIND $batch AS row
MATCH (reader:{{readerLabel}} {readerId: row.u})
MATCH (book:{{bookLabel}} {bookId: row.i})
MERGE (reader)-[r:READ]->(book)
SET r.at = datetime({epochSeconds: row.t})
