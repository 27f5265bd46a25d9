//! Column profile: missing, distinct, top values with counts, min / max / mean, and values
//! that were invalid for the column's type.
