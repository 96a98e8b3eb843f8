"""SLA clocks, escalation marks and automation runs

Revision ID: 0006_sla_automations
Revises: 0005_notifications
Create Date: 2026-11-22 04:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import platform_core.db

revision = '0006_sla_automations'
down_revision = '0005_notifications'
branch_labels = None
depends_on = None


def upgrade() -> None:
    utc = platform_core.db.UTCDateTime()
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sla_due_at', utc, nullable=True))
        batch_op.create_index('ix_ticket_sla_due', ['sla_due_at', 'id'], unique=False)
    op.create_table('ticket_sla',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('metric', sa.String(length=16), nullable=False),
    sa.Column('policy', sa.String(length=200), nullable=False),
    sa.Column('policy_index', sa.Integer(), nullable=False),
    sa.Column('calendar', sa.String(length=64), nullable=False),
    sa.Column('target_seconds', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('cycle', sa.Integer(), nullable=False),
    sa.Column('started_at', utc, nullable=False),
    sa.Column('running_since', utc, nullable=True),
    sa.Column('elapsed_seconds', sa.Integer(), nullable=False),
    sa.Column('paused_since', utc, nullable=True),
    sa.Column('paused_seconds', sa.Integer(), nullable=False),
    sa.Column('due_at', utc, nullable=True),
    sa.Column('breached_at', utc, nullable=True),
    sa.Column('stopped_at', utc, nullable=True),
    sa.Column('next_check_at', utc, nullable=True),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_ticket_sla_ticket_id_ticket'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_sla')),
    sa.UniqueConstraint('ticket_id', 'metric', name=op.f('uq_ticket_sla_ticket_id_metric'))
    )
    with op.batch_alter_table('ticket_sla', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_sla_due_at'), ['due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_ticket_sla_next_check_at'), ['next_check_at'], unique=False)
    op.create_table('sla_mark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sla_id', sa.Integer(), nullable=False),
    sa.Column('cycle', sa.Integer(), nullable=False),
    sa.Column('mark', sa.String(length=40), nullable=False),
    sa.Column('fired_at', utc, nullable=False),
    sa.ForeignKeyConstraint(['sla_id'], ['ticket_sla.id'], name=op.f('fk_sla_mark_sla_id_ticket_sla'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_mark')),
    sa.UniqueConstraint('sla_id', 'cycle', 'mark', name=op.f('uq_sla_mark_sla_id_cycle_mark'))
    )
    op.create_table('ticket_timer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('ref', platform_core.db.JSONDocument, nullable=False),
    sa.Column('due_at', utc, nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_ticket_timer_ticket_id_ticket'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_timer'))
    )
    with op.batch_alter_table('ticket_timer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_timer_due_at'), ['due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_ticket_timer_ticket_id'), ['ticket_id'], unique=False)
    op.create_table('automation_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('ticket_type_id', sa.Integer(), nullable=False),
    sa.Column('automation_index', sa.Integer(), nullable=False),
    sa.Column('automation', sa.String(length=200), nullable=False),
    sa.Column('trigger', sa.String(length=32), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('depth', sa.Integer(), nullable=False),
    sa.Column('at', utc, nullable=False),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_automation_run_ticket_id_ticket'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ticket_type_id'], ['ticket_type.id'], name=op.f('fk_automation_run_ticket_type_id_ticket_type'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_automation_run'))
    )
    with op.batch_alter_table('automation_run', schema=None) as batch_op:
        batch_op.create_index('ix_automation_run_ticket', ['ticket_id', 'id'], unique=False)
        batch_op.create_index('ix_automation_run_type', ['ticket_type_id', 'id'], unique=False)
    op.create_table('ticket_survey',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('requested_at', utc, nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('answered_at', utc, nullable=True),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_ticket_survey_ticket_id_ticket'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_survey'))
    )
    with op.batch_alter_table('ticket_survey', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_survey_ticket_id'), ['ticket_id'], unique=False)


def downgrade() -> None:
    op.drop_table('ticket_survey')
    op.drop_table('automation_run')
    op.drop_table('ticket_timer')
    op.drop_table('sla_mark')
    op.drop_table('ticket_sla')
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_sla_due')
        batch_op.drop_column('sla_due_at')
