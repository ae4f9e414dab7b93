// The movie example: (:Viewer)-[:RATED {stars, at}]->(:Movie), at a datetime. $batch: [{u, i, stars, t (epoch seconds)}]
UNWIND $batch AS row
MATCH (v:Viewer {viewerId: row.u})
MATCH (m:Movie {movieId: row.i})
MERGE (v)-[r:RATED]->(m)
SET r.stars = row.stars, r.at = datetime({epochSeconds: toInteger(row.t)})
