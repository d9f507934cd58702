"""Reports people in an office hand to each other: each report builds a `ReportTable` (table.py) from
database queries, and each format (json, csv, xlsx, pdf) renders any `ReportTable`."""
