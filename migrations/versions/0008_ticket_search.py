"""Ticket search: a trigram index for ?q= on PostgreSQL

Revision ID: 0008_ticket_search
Revises: 0007_workspace
Create Date: 2026-11-22 05:10:00

``?q=`` filters with ``search_text LIKE '%word%'``. A B-tree cannot answer that; pg_trgm's GIN
index can, so a search over 100,000 tickets reads a few index pages instead of every row.
Creating the extension needs the CREATE privilege on the database (pg_trgm is a trusted
extension); without it the index is skipped with a warning and search still works, unindexed.
SQLite has no such index: its LIKE scans, which is fine at the sizes SQLite serves.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = '0008_ticket_search'
down_revision = '0007_workspace'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as error:
        log.warning("pg_trgm is not available (%s); ticket search stays unindexed. To index it later, have "
                    "the database owner run: CREATE EXTENSION pg_trgm; CREATE INDEX ix_ticket_search_trgm ON "
                    "ticket USING gin (search_text gin_trgm_ops);", error.orig)
        return
    op.create_index("ix_ticket_search_trgm", "ticket", ["search_text"], postgresql_using="gin",
                    postgresql_ops={"search_text": "gin_trgm_ops"})


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_ticket_search_trgm")
