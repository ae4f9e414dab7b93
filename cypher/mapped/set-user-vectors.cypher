// Write-back onto a mapped graph: a run's user vectors as a kgneg_... property of the user's own nodes.
// Slot: property (generated kgneg_<tag>_<slot>). $batch: [{ref (element id), v}]
UNWIND $batch AS row
MATCH (u) WHERE elementId(u) = row.ref
SET u.{{property}} = row.v
