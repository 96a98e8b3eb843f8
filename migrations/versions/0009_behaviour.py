"""Priority set by hand (who set it, when and why); password-reset requests (for throttling)

Revision ID: 0009_behaviour
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

revision = '0009_behaviour'
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


    op.create_table(
        "password_reset_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("client_address", sa.String(length=64), nullable=False),
        sa.Column("at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_reset_request")),
    )
    op.create_index("ix_password_reset_request_at", "password_reset_request", ["at"])
    op.create_index("ix_password_reset_request_email_at", "password_reset_request", ["email", "at"])
    op.create_index("ix_password_reset_request_address_at", "password_reset_request", ["client_address", "at"])


def downgrade() -> None:
    op.drop_table("password_reset_request")
    with op.batch_alter_table("ticket") as batch:
        batch.drop_constraint("fk_ticket_priority_set_by_id_user_account", type_="foreignkey")
        batch.drop_column("priority_reason")
        batch.drop_column("priority_set_at")
        batch.drop_column("priority_set_by_id")
