"""Dashboards: people's grids of metric tiles, shared with roles and teams, drawn and drilled into from the metrics layer."""
