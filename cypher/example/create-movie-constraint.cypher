// The movie example's own schema: movies by their id (idempotent).
CREATE CONSTRAINT example_movie_id IF NOT EXISTS FOR (m:Movie) REQUIRE m.movieId IS UNIQUE
