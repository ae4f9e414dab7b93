// Removes a property kgneg's write-back set on the user's nodes.
// Slots: label (checked, quoted), property (a generated kgneg_... name)
MATCH (n:{{label}}) WHERE n.{{property}} IS NOT NULL
CALL (n) { REMOVE n.{{property}} } IN TRANSACTIONS OF 10000 ROWS
