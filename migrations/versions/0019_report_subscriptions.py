"""Report subscriptions

Revision ID: 0019_report_subscriptions
Revises: 0018_dashboards
Create Date: 2026-12-03 16:00:00

Two new tables: subscriptions to the periodic reports, and one row per subscription and period sent (its unique
key makes the e-mail exactly-once). Nothing existing changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from platform_core.db import UTCDateTime

revision = '0019_report_subscriptions'
down_revision = '0018_dashboards'
branch_labels = None
depends_on = None


def upgrade() -> None:
    utc = UTCDateTime(timezone=True)
    op.create_table(
        "report_subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report", sa.String(length=64), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", utc, nullable=False),
        sa.Column("updated_at", utc, nullable=False),
        sa.ForeignKeyConstraint(["created_by"], ["user_account.id"],
                                name=op.f("fk_report_subscription_created_by_user_account"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_subscription")),
    )
    op.create_table(
        "report_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("sent_at", utc, nullable=False),
        sa.ForeignKeyConstraint(["subscription_id"], ["report_subscription.id"],
                                name=op.f("fk_report_delivery_subscription_id_report_subscription"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_delivery")),
        sa.UniqueConstraint("subscription_id", "period", name="uq_report_delivery_period"),
    )


def downgrade() -> None:
    op.drop_table("report_delivery")
    op.drop_table("report_subscription")
