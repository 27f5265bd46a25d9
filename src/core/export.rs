//! Export of query results and rows as CSV: standard (`,`, UTF-8) and "Excel FR" (`;`, BOM,
//! decimal comma).
