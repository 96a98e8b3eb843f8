"""Approvals: a state's approval, its approvers and decisions, delegations while away; users' managers

Revision ID: 0011_approvals
Revises: 0010_intake
Create Date: 2026-12-02 20:00:00

Adds tables only, and one nullable column (`user_account.manager_id`, whom a user reports to, for approvals by
"the requester's manager"): existing users have no manager until an admin sets one; nothing else changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from platform_core.db import UTCDateTime

revision = '0011_approvals'
down_revision = '0010_intake'
branch_labels = None
depends_on = None


def upgrade() -> None:
    utc = UTCDateTime(timezone=True)
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("manager_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_user_account_manager_id_user_account", "user_account",
                                 ["manager_id"], ["id"], ondelete="SET NULL")
        batch.create_index("ix_user_account_manager_id", ["manager_id"])

    op.create_table(
        "approval",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("calendar", sa.String(length=64), nullable=False),
        sa.Column("opened_at", utc, nullable=False),
        sa.Column("warn_at", utc, nullable=True),
        sa.Column("due_at", utc, nullable=True),
        sa.Column("warned_at", utc, nullable=True),
        sa.Column("timed_out_at", utc, nullable=True),
        sa.Column("decided_at", utc, nullable=True),
        sa.Column("next_check_at", utc, nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"], name=op.f("fk_approval_ticket_id_ticket"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval")),
    )
    op.create_index("ix_approval_ticket_id", "approval", ["ticket_id"])
    op.create_index("ix_approval_next_check_at", "approval", ["next_check_at"])
    op.create_index("ix_approval_ticket_status", "approval", ["ticket_id", "status"])

    op.create_table(
        "approval_approver",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("approval_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("decision", sa.String(length=8), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("decided_at", utc, nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("via", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(["approval_id"], ["approval.id"], name=op.f("fk_approval_approver_approval_id_approval"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"],
                                name=op.f("fk_approval_approver_user_id_user_account"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user_account.id"],
                                name=op.f("fk_approval_approver_decided_by_id_user_account"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_approver")),
        sa.UniqueConstraint("approval_id", "user_id", name=op.f("uq_approval_approver_approval_id_user_id")),
    )
    op.create_index("ix_approval_approver_user_id", "approval_approver", ["user_id"])

    op.create_table(
        "approval_delegation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("delegate_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("created_at", utc, nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"],
                                name=op.f("fk_approval_delegation_user_id_user_account"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["delegate_id"], ["user_account.id"],
                                name=op.f("fk_approval_delegation_delegate_id_user_account"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_delegation")),
    )
    op.create_index("ix_approval_delegation_delegate_id", "approval_delegation", ["delegate_id"])
    op.create_index("ix_approval_delegation_user_dates", "approval_delegation", ["user_id", "ends_on", "starts_on"])


def downgrade() -> None:
    op.drop_table("approval_delegation")
    op.drop_table("approval_approver")
    op.drop_table("approval")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_index("ix_user_account_manager_id")
        batch.drop_constraint("fk_user_account_manager_id_user_account", type_="foreignkey")
        batch.drop_column("manager_id")
