"""Alembic environment: runs against the database of the Gongdan app in context.

Invoked through ``gongdan db upgrade`` (which pushes an app context), never at import time.
"""

from __future__ import annotations

from alembic import context
from flask import current_app

import gongdan.app  # noqa: F401  (its capabilities import their models: every table is on the metadata)
from platform_core.db import Base, include_object_for

target_metadata = Base.metadata


def run_migrations_online() -> None:
    connectable = current_app.extensions["gongdan_db"].engine
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",  # SQLite ALTER TABLE via copy-and-move
            compare_type=True,
            include_object=include_object_for(connection.dialect.name),
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; run `gongdan db upgrade`.")
run_migrations_online()
