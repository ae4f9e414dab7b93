// The vector index over one slot's augmented item vectors. Slots: {{index}}
// (kgneg_item_search_<dataset hash>_<slot>_<dim>), {{search}} (the property), {{dimensions}} (dim + 1).
// Quantization off: scores must rank exactly like the model.
CREATE VECTOR INDEX {{index}} IF NOT EXISTS
FOR (i:Item) ON i.{{search}}
OPTIONS {indexConfig: {
  `vector.dimensions`: {{dimensions}},
  `vector.similarity_function`: 'euclidean',
  `vector.quantization.enabled`: false
}}
