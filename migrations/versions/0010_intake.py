"""Machine-fed intake: inbound endpoints, the intake log, the source keys seen, the open alarms

Revision ID: 0010_intake
Revises: 0009_behaviour
Create Date: 2026-12-02 19:40:00

New tables only; nothing existing changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from platform_core.db import JSONDocument, UTCDateTime

revision = '0010_intake'
down_revision = '0009_behaviour'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('intake_endpoint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('ticket_type_id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('auth_mode', sa.String(length=8), nullable=False),
    sa.Column('secret_prefix', sa.String(length=16), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('hmac_secret', sa.String(length=200), nullable=True),
    sa.Column('mapping', JSONDocument, nullable=False),
    sa.Column('dedup_key', JSONDocument, nullable=True),
    sa.Column('on_duplicate', sa.String(length=16), nullable=False),
    sa.Column('source_key', JSONDocument, nullable=True),
    sa.Column('rate_per_minute', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_intake_endpoint_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requester_id'], ['user_account.id'], name=op.f('fk_intake_endpoint_requester_id_user_account'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['ticket_type_id'], ['ticket_type.id'], name=op.f('fk_intake_endpoint_ticket_type_id_ticket_type'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_endpoint')),
    sa.UniqueConstraint('key', name=op.f('uq_intake_endpoint_key'))
    )
    with op.batch_alter_table('intake_endpoint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_endpoint_requester_id'), ['requester_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_intake_endpoint_ticket_type_id'), ['ticket_type_id'], unique=False)

    op.create_table('intake_alarm',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('endpoint_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('key_text', sa.String(length=200), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('occurrences', sa.Integer(), nullable=False),
    sa.Column('first_at', UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_at', UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['endpoint_id'], ['intake_endpoint.id'], name=op.f('fk_intake_alarm_endpoint_id_intake_endpoint'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_intake_alarm_ticket_id_ticket'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_alarm')),
    sa.UniqueConstraint('endpoint_id', 'key_hash', name=op.f('uq_intake_alarm_endpoint_id_key_hash'))
    )
    with op.batch_alter_table('intake_alarm', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_alarm_ticket_id'), ['ticket_id'], unique=False)

    op.create_table('intake_call',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('endpoint_id', sa.Integer(), nullable=False),
    sa.Column('at', UTCDateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('source_key', sa.String(length=200), nullable=True),
    sa.Column('dedup_key', sa.String(length=200), nullable=True),
    sa.Column('occurrences', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('details', JSONDocument, nullable=True),
    sa.Column('client_address', sa.String(length=64), nullable=False),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['endpoint_id'], ['intake_endpoint.id'], name=op.f('fk_intake_call_endpoint_id_intake_endpoint'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_intake_call_ticket_id_ticket'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_call'))
    )
    with op.batch_alter_table('intake_call', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_call_at'), ['at'], unique=False)
        batch_op.create_index('ix_intake_call_endpoint_address_at', ['endpoint_id', 'client_address', 'at'], unique=False)
        batch_op.create_index('ix_intake_call_endpoint_id', ['endpoint_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_intake_call_ticket_id'), ['ticket_id'], unique=False)

    op.create_table('intake_source_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('endpoint_id', sa.Integer(), nullable=False),
    sa.Column('source_key', sa.String(length=200), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['endpoint_id'], ['intake_endpoint.id'], name=op.f('fk_intake_source_key_endpoint_id_intake_endpoint'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_intake_source_key_ticket_id_ticket'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_source_key')),
    sa.UniqueConstraint('endpoint_id', 'source_key', name=op.f('uq_intake_source_key_endpoint_id_source_key'))
    )
    with op.batch_alter_table('intake_source_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_source_key_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_intake_source_key_ticket_id'), ['ticket_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('intake_source_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intake_source_key_ticket_id'))
        batch_op.drop_index(batch_op.f('ix_intake_source_key_created_at'))

    op.drop_table('intake_source_key')
    with op.batch_alter_table('intake_call', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intake_call_ticket_id'))
        batch_op.drop_index('ix_intake_call_endpoint_id')
        batch_op.drop_index('ix_intake_call_endpoint_address_at')
        batch_op.drop_index(batch_op.f('ix_intake_call_at'))

    op.drop_table('intake_call')
    with op.batch_alter_table('intake_alarm', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intake_alarm_ticket_id'))

    op.drop_table('intake_alarm')
    with op.batch_alter_table('intake_endpoint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intake_endpoint_ticket_type_id'))
        batch_op.drop_index(batch_op.f('ix_intake_endpoint_requester_id'))

    op.drop_table('intake_endpoint')
