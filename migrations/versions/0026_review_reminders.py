"""Review-by reminders for knowledge articles, and notifications that lead somewhere other than a ticket

Revision ID: 0026_review_reminders
Revises: 0025_article_images
Create Date: 2026-12-04 13:50:00

Two nullable columns: ``knowledge_article.review_reminded_for`` (the review-by date the owner was reminded of;
empty for every existing article, so one whose date has passed is reminded once after the upgrade) and
``notification.link`` (a same-site path such as /knowledge/12; empty for existing notifications, which are about
tickets). No data changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0026_review_reminders'
down_revision = '0025_article_images'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('knowledge_article', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_reminded_for', sa.Date(), nullable=True))
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('link', sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_column('link')
    with op.batch_alter_table('knowledge_article', schema=None) as batch_op:
        batch_op.drop_column('review_reminded_for')
