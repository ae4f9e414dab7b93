// The movie example: movies with title, year, genres and (where linked) their Freebase id.
// $batch: [{id, title, year, genres, freebaseId}]
UNWIND $batch AS row
MERGE (m:Movie {movieId: row.id})
SET m.title = row.title, m.year = row.year, m.genres = row.genres, m.freebaseId = row.freebaseId
