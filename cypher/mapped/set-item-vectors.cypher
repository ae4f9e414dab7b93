// Write-back onto a mapped graph: item vectors and their search form as kgneg_... properties.
// Slots: property, search (generated kgneg_ names). $batch: [{ref, v, s}]
UNWIND $batch AS row
MATCH (i) WHERE elementId(i) = row.ref
SET i.{{property}} = row.v, i.{{search}} = row.s
