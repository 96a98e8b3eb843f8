"""Ticket types, their published (immutable) versions, and the designer's drafts

Revision ID: 0002_ticket_types
Revises: 0001_identity
Create Date: 2026-11-22 02:21:14.550180
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import platform_core.db

revision = '0002_ticket_types'
down_revision = '0001_identity'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ticket_type',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('number_prefix', sa.String(length=10), nullable=False),
    sa.Column('latest_version', sa.Integer(), nullable=True),
    sa.Column('archived_at', platform_core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', platform_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', platform_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_type')),
    sa.UniqueConstraint('key', name=op.f('uq_ticket_type_key')),
    sa.UniqueConstraint('number_prefix', name=op.f('uq_ticket_type_number_prefix'))
    )
    op.create_table('ticket_type_draft',
    sa.Column('ticket_type_id', sa.Integer(), nullable=False),
    sa.Column('definition', platform_core.db.JSONDocument, nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('updated_at', platform_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['ticket_type_id'], ['ticket_type.id'], name=op.f('fk_ticket_type_draft_ticket_type_id_ticket_type'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_ticket_type_draft_updated_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('ticket_type_id', name=op.f('pk_ticket_type_draft'))
    )
    op.create_table('ticket_type_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_type_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('definition', platform_core.db.JSONDocument, nullable=False),
    sa.Column('changelog', sa.Text(), nullable=False),
    sa.Column('published_at', platform_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['published_by_id'], ['user_account.id'], name=op.f('fk_ticket_type_version_published_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ticket_type_id'], ['ticket_type.id'], name=op.f('fk_ticket_type_version_ticket_type_id_ticket_type'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_type_version')),
    sa.UniqueConstraint('ticket_type_id', 'number', name=op.f('uq_ticket_type_version_ticket_type_id_number'))
    )


def downgrade() -> None:
    op.drop_table('ticket_type_version')
    op.drop_table('ticket_type_draft')
    op.drop_table('ticket_type')
