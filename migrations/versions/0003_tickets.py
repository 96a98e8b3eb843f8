"""Tickets: counters, tickets, events, comments, attachments, watchers, links, idempotency, round robin, inbox

Revision ID: 0003_tickets
Revises: 0002_ticket_types
Create Date: 2026-11-22 02:53:17.524750
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import platform_core.db

revision = '0003_tickets'
down_revision = '0002_ticket_types'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tags', sa.JSON(), server_default='[]', nullable=False))
    op.create_table('ticket_counter',
    sa.Column('ticket_type_id', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ticket_type_id'], ['ticket_type.id'], name=op.f('fk_ticket_counter_ticket_type_id_ticket_type'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ticket_type_id', name=op.f('pk_ticket_counter'))
    )
    op.create_table('round_robin_cursor',
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('last_user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_round_robin_cursor_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('team_id', name=op.f('pk_round_robin_cursor'))
    )
    op.create_table('ticket',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('ticket_type_id', sa.Integer(), nullable=False),
    sa.Column('type_version_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('data', platform_core.db.JSONDocument, nullable=False),
    sa.Column('status', sa.String(length=64), nullable=False),
    sa.Column('status_category', sa.String(length=16), nullable=False),
    sa.Column('status_changed_at', platform_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('priority', sa.String(length=20), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('created_at', platform_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', platform_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('first_response_at', platform_core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', platform_core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', platform_core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('row_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['user_account.id'], name=op.f('fk_ticket_assignee_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['parent_id'], ['ticket.id'], name=op.f('fk_ticket_parent_id_ticket'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requester_id'], ['user_account.id'], name=op.f('fk_ticket_requester_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_ticket_team_id_team'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ticket_type_id'], ['ticket_type.id'], name=op.f('fk_ticket_ticket_type_id_ticket_type'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['type_version_id'], ['ticket_type_version.id'], name=op.f('fk_ticket_type_version_id_ticket_type_version'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket')),
    sa.UniqueConstraint('number', name=op.f('uq_ticket_number'))
    )
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.create_index('ix_ticket_assignee_category', ['assignee_id', 'status_category', 'id'], unique=False)
        batch_op.create_index('ix_ticket_category_created', ['status_category', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_ticket_created', ['created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ticket_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index('ix_ticket_requester_created', ['requester_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_ticket_team_category', ['team_id', 'status_category', 'id'], unique=False)
        batch_op.create_index('ix_ticket_type_created', ['ticket_type_id', 'created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ticket_type_version_id'), ['type_version_id'], unique=False)

    op.create_table('attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=40), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_name', sa.String(length=80), nullable=False),
    sa.Column('internal', sa.Boolean(), nullable=False),
    sa.Column('created_at', platform_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_attachment_ticket_id_ticket'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'], name=op.f('fk_attachment_uploaded_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment')),
    sa.UniqueConstraint('public_id', name=op.f('uq_attachment_public_id')),
    sa.UniqueConstraint('storage_name', name=op.f('uq_attachment_storage_name'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_ticket_id'), ['ticket_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_uploaded_by_id'), ['uploaded_by_id'], unique=False)

    op.create_table('idempotency_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('created_at', platform_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_idempotency_record_ticket_id_ticket'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_idempotency_record_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_record')),
    sa.UniqueConstraint('user_id', 'key', name=op.f('uq_idempotency_record_user_id_key'))
    )
    with op.batch_alter_table('idempotency_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idempotency_record_created_at'), ['created_at'], unique=False)

    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_at', platform_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', platform_core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_notification_ticket_id_ticket'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_notification_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_user', ['user_id', 'id'], unique=False)

    op.create_table('ticket_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('internal', sa.Boolean(), nullable=False),
    sa.Column('created_at', platform_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_ticket_comment_author_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_ticket_comment_ticket_id_ticket'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_comment'))
    )
    with op.batch_alter_table('ticket_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_comment_ticket_id'), ['ticket_id'], unique=False)

    op.create_table('ticket_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('at', platform_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('internal', sa.Boolean(), nullable=False),
    sa.Column('details', platform_core.db.JSONDocument, nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_ticket_event_actor_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_ticket_event_ticket_id_ticket'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_event'))
    )
    with op.batch_alter_table('ticket_event', schema=None) as batch_op:
        batch_op.create_index('ix_ticket_event_ticket', ['ticket_id', 'id'], unique=False)

    op.create_table('ticket_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('from_ticket_id', sa.Integer(), nullable=False),
    sa.Column('to_ticket_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('created_at', platform_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['from_ticket_id'], ['ticket.id'], name=op.f('fk_ticket_link_from_ticket_id_ticket'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_ticket_id'], ['ticket.id'], name=op.f('fk_ticket_link_to_ticket_id_ticket'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_link')),
    sa.UniqueConstraint('from_ticket_id', 'to_ticket_id', 'kind', name=op.f('uq_ticket_link_from_ticket_id_to_ticket_id_kind'))
    )
    with op.batch_alter_table('ticket_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_link_from_ticket_id'), ['from_ticket_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ticket_link_to_ticket_id'), ['to_ticket_id'], unique=False)

    op.create_table('ticket_watcher',
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_ticket_watcher_ticket_id_ticket'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_ticket_watcher_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ticket_id', 'user_id', name=op.f('pk_ticket_watcher'))
    )
    with op.batch_alter_table('ticket_watcher', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_watcher_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('tags')
    with op.batch_alter_table('ticket_watcher', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_watcher_user_id'))

    op.drop_table('ticket_watcher')
    with op.batch_alter_table('ticket_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_link_to_ticket_id'))
        batch_op.drop_index(batch_op.f('ix_ticket_link_from_ticket_id'))

    op.drop_table('ticket_link')
    with op.batch_alter_table('ticket_event', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_event_ticket')

    op.drop_table('ticket_event')
    with op.batch_alter_table('ticket_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_comment_ticket_id'))

    op.drop_table('ticket_comment')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_user')

    op.drop_table('notification')
    with op.batch_alter_table('idempotency_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idempotency_record_created_at'))

    op.drop_table('idempotency_record')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_uploaded_by_id'))
        batch_op.drop_index(batch_op.f('ix_attachment_ticket_id'))

    op.drop_table('attachment')
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_type_version_id'))
        batch_op.drop_index('ix_ticket_type_created')
        batch_op.drop_index('ix_ticket_team_category')
        batch_op.drop_index('ix_ticket_requester_created')
        batch_op.drop_index(batch_op.f('ix_ticket_parent_id'))
        batch_op.drop_index('ix_ticket_created')
        batch_op.drop_index('ix_ticket_category_created')
        batch_op.drop_index('ix_ticket_assignee_category')

    op.drop_table('ticket')
    op.drop_table('round_robin_cursor')
    op.drop_table('ticket_counter')
