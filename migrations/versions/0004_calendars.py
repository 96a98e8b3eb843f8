"""Business calendars

Revision ID: 0004_calendars
Revises: 0003_tickets
Create Date: 2026-11-22 04:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import platform_core.db

revision = '0004_calendars'
down_revision = '0003_tickets'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('business_calendar',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('week', platform_core.db.JSONDocument, nullable=False),
    sa.Column('holidays', platform_core.db.JSONDocument, nullable=False),
    sa.Column('workdays', platform_core.db.JSONDocument, nullable=False),
    sa.Column('created_at', platform_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', platform_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_business_calendar')),
    sa.UniqueConstraint('key', name=op.f('uq_business_calendar_key'))
    )


def downgrade() -> None:
    op.drop_table('business_calendar')
