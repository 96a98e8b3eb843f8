"""Ticket types and their drafts: edit, validate, publish, version, diff, export, import, simulate."""
