"""Gongdan's platform core: configuration, database, identity, jobs, the API base, hooks and the
application factory every capability is assembled by (``gongdan.create_app`` names them)."""

__version__ = "0.1.0"
