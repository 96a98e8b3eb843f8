"""Operations: instance-wide state

Revision ID: 0014_operations
Revises: 0013_template_bases
Create Date: 2026-12-03 05:30:00

``system_state`` holds switches every process reads (the read-only maintenance mode) and figures periodic
jobs leave for /healthz (housekeeping). A new, empty table: nothing existing changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from platform_core.db import JSONDocument, UTCDateTime

revision = '0014_operations'
down_revision = '0013_template_bases'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "system_state",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("value", JSONDocument, nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_system_state")),
    )


def downgrade() -> None:
    op.drop_table("system_state")
