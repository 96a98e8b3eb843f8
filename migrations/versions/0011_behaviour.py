"""Priority set by hand: who set it, when and why

Revision ID: 0011_behaviour
Revises: 0008_ticket_search
Create Date: 2026-12-02 16:00:00

A ticket's priority follows its fields (the matrix, overrides and routing) unless an agent set it
by hand; these columns say who did, when and why. Existing tickets keep their priority and count
as automatic (nothing says a person chose it).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from platform_core.db import UTCDateTime

revision = '0011_behaviour'
down_revision = '0008_ticket_search'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ticket") as batch:
        batch.add_column(sa.Column("priority_set_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("priority_set_at", UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("priority_reason", sa.String(length=500), nullable=True))
        batch.create_foreign_key("fk_ticket_priority_set_by_id_user_account", "user_account",
                                 ["priority_set_by_id"], ["id"], ondelete="SET NULL")


def downgrade() -> None:
    with op.batch_alter_table("ticket") as batch:
        batch.drop_constraint("fk_ticket_priority_set_by_id_user_account", type_="foreignkey")
        batch.drop_column("priority_reason")
        batch.drop_column("priority_set_at")
        batch.drop_column("priority_set_by_id")
