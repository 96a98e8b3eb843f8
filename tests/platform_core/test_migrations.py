"""Alembic revisions build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import gongdan.app  # noqa: F401
from platform_core.db import Base, include_object_for


def test_migrations_match_the_models(app):
    engine = app.extensions["gongdan_db"].engine
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_object": include_object_for(connection.dialect.name)})
        assert compare_metadata(context, Base.metadata) == []


def test_upgrade_is_idempotent_and_reseeds_built_in_roles(app):
    from platform_core import migrate
    from platform_core.auth.services import list_roles
    from platform_core.db import get_session

    with app.app_context():
        migrate.upgrade()
        assert {r.name for r in list_roles(get_session()) if r.built_in} == {"admin", "designer", "agent", "requester"}
