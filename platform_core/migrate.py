"""Alembic, driven from the application (``gongdan db upgrade``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import current_app

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config() -> Config:
    if not (MIGRATIONS / "env.py").is_file():
        raise RuntimeError(f"Alembic scripts not found at {MIGRATIONS}; run from a source checkout.")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", current_app.config["DATABASE_URL"].replace("%", "%%"))
    return config


def upgrade(revision: str = "head") -> None:
    command.upgrade(alembic_config(), revision)
    from platform_core.auth.services import ensure_built_in_roles
    from platform_core.db import get_session

    ensure_built_in_roles(get_session())


def current() -> None:
    command.current(alembic_config(), verbose=True)


def revision(message: str, autogenerate: bool = True) -> None:
    command.revision(alembic_config(), message=message, autogenerate=autogenerate)
