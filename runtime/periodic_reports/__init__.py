"""Periodic reports: root causes, SLA review and team summary over a month or a week, run on demand and e-mailed
to subscribers once per period (docs/reports.md)."""
