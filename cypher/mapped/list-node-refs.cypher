// The nodes of a mapped label by their id, with the element id write-back addresses them by
// (a seek, whatever indexes the user's graph has). Slot: label (checked, quoted). $id: id property name.
// Returns: id, ref
MATCH (n:{{label}})
WHERE n[$id] IS NOT NULL
RETURN n[$id] AS id, elementId(n) AS ref
