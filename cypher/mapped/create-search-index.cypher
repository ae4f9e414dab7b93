// The vector index of a run written onto a mapped graph, on the user's item label.
// Slots: index, search (generated kgneg_ names), itemLabel (checked, quoted), dimensions
CREATE VECTOR INDEX {{index}} IF NOT EXISTS
FOR (i:{{itemLabel}}) ON i.{{search}}
OPTIONS {indexConfig: {
  `vector.dimensions`: {{dimensions}},
  `vector.similarity_function`: 'euclidean',
  `vector.quantization.enabled`: false
}}
