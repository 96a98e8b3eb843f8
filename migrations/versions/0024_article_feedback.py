"""Readers' answers to "Did this help?" on knowledge articles

Revision ID: 0024_article_feedback
Revises: 0023_finished_tickets_index
Create Date: 2026-12-04 10:40:00

One row per reader and article (answering again updates it). A new table only: no existing data changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import platform_core.db

revision = '0024_article_feedback'
down_revision = '0023_finished_tickets_index'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'knowledge_feedback',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('article_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('helpful', sa.Boolean(), nullable=False),
        sa.Column('comment', sa.String(length=1000), nullable=False),
        sa.Column('created_at', platform_core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('answered_at', platform_core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['article_id'], ['knowledge_article.id'],
                                name=op.f('fk_knowledge_feedback_article_id_knowledge_article'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_knowledge_feedback_user_id_user_account'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_feedback')),
        sa.UniqueConstraint('article_id', 'user_id', name=op.f('uq_knowledge_feedback_article_id_user_id')),
    )


def downgrade() -> None:
    op.drop_table('knowledge_feedback')
