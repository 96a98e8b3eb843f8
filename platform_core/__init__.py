"""Gongdan's platform core: application factory, configuration, database, identity, jobs."""

from platform_core.app import create_app

__all__ = ["create_app"]
__version__ = "0.1.0"
