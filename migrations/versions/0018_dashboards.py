"""Dashboards

Revision ID: 0018_dashboards
Revises: 0017_surveys
Create Date: 2026-12-03 15:00:00

One table: a dashboard's tiles (JSON), whom it is shared with, the role it is the default of, its refresh
interval and a version for If-Match. Nothing existing changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from platform_core.db import UTCDateTime

revision = '0018_dashboards'
down_revision = '0017_surveys'
branch_labels = None
depends_on = None


def upgrade() -> None:
    utc = UTCDateTime(timezone=True)
    op.create_table(
        "dashboard",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("shared_with", sa.JSON(), nullable=False),
        sa.Column("is_default_for", sa.String(length=64), nullable=True),
        sa.Column("tiles", sa.JSON(), nullable=False),
        sa.Column("refresh_seconds", sa.Integer(), nullable=True),
        sa.Column("created_at", utc, nullable=False),
        sa.Column("updated_at", utc, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["user_account.id"], name=op.f("fk_dashboard_owner_id_user_account"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard")),
    )
    op.create_index("ix_dashboard_owner", "dashboard", ["owner_id"])
    op.create_index("ix_dashboard_default", "dashboard", ["is_default_for"])


def downgrade() -> None:
    op.drop_table("dashboard")
