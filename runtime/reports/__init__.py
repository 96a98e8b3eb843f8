"""Reports: the metrics layer (SQL aggregation on both databases), the reports API and charts from definitions."""
