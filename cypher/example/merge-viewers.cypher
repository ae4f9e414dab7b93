// The movie example: viewers, with what ml-100k.user tells of them. $batch: [{id, age, gender, occupation}]
UNWIND $batch AS row
MERGE (v:Viewer {viewerId: row.id})
SET v.age = row.age, v.gender = row.gender, v.occupation = row.occupation
