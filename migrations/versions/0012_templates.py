"""Installed template versions

Revision ID: 0012_templates
Revises: 0011_approvals
Create Date: 2026-12-02 21:10:00

One row per installed industry template: its key, the version installed and the ticket types it shipped,
so that installing the same version again changes nothing and uninstalling knows what is the template's.
Installations made before this revision have no row; installing the template again records it (existing
types, teams, roles and calendars are kept as they are).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from platform_core.db import JSONDocument, UTCDateTime

revision = '0012_templates'
down_revision = '0011_approvals'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "installed_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("ticket_types", JSONDocument, nullable=False),
        sa.Column("installed_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("installed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["installed_by_id"], ["user_account.id"],
                                name=op.f("fk_installed_template_installed_by_id_user_account"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_installed_template")),
        sa.UniqueConstraint("key", name=op.f("uq_installed_template_key")),
    )


def downgrade() -> None:
    op.drop_table("installed_template")
