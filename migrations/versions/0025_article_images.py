"""Knowledge article images: which stored uploads an article shows inline

Revision ID: 0025_article_images
Revises: 0024_article_feedback
Create Date: 2026-12-04 10:40:00

Adds one table. The files themselves are stored uploads (the ``attachment`` table and UPLOAD_DIR, as ticket
attachments are), never tied to a ticket; a row here ties one to an article, and keeps the orphan purge from
deleting it. No data changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import platform_core.db

revision = '0025_article_images'
down_revision = '0024_article_feedback'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('knowledge_article_image',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('attachment_id', sa.Integer(), nullable=False),
    sa.Column('created_at', platform_core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['knowledge_article.id'], name=op.f('fk_knowledge_article_image_article_id_knowledge_article'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachment.id'], name=op.f('fk_knowledge_article_image_attachment_id_attachment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_article_image')),
    sa.UniqueConstraint('attachment_id', name=op.f('uq_knowledge_article_image_attachment_id'))
    )
    with op.batch_alter_table('knowledge_article_image', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_knowledge_article_image_article_id'), ['article_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('knowledge_article_image', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_knowledge_article_image_article_id'))
    op.drop_table('knowledge_article_image')
