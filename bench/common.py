"""What every benchmark starts from: the application on a fresh, migrated database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import text

from gongdan import create_app
from platform_core import migrate
from platform_core.db import get_session


def fresh_app(url: str, folder: Path, *, keep: bool = False, **config: Any) -> Flask:
    """The app on ``url`` (SQLite file or PostgreSQL), migrated from empty; on PostgreSQL the schema `public` is
    dropped and re-created first (unless ``keep``: then the database is only migrated to the latest revision, for
    a bench that re-uses what an earlier run generated). No Redis: jobs run inline."""
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DATABASE_URL": url, "REDIS_URL": None,
                      "INSTANCE_PATH": str(folder), "UPLOAD_DIR": str(folder / "uploads"), **config})
    with app.app_context():
        session = get_session()
        if url.startswith("postgresql") and not keep:
            session.execute(text("DROP SCHEMA public CASCADE"))
            session.execute(text("CREATE SCHEMA public"))
            session.commit()
        migrate.upgrade()
    return app
