// Slots {{property}} (embeddingA | embeddingB) and {{search}} (search<slot><dim>_<dataset hash>).
// $dataset (string), $batch (list of {id, v: list<float>, s: list<float>}):
// v is the item vector, s the same with the MIPS augmentation sqrt(M^2 - |v|^2)
// appended, so that euclidean distance ranks like the inner product.
UNWIND $batch AS row
MATCH (i:Item {dataset: $dataset, itemId: row.id})
SET i.{{property}} = row.v, i.{{search}} = row.s
