"""Idempotency-Key for comments

Revision ID: 0021_comment_idempotency
Revises: 0020_report_indexes
Create Date: 2026-12-03 22:40:00

A comment cut off mid-request (a web worker killed, a connection dropped) could not be retried safely: the retry
wrote a second comment and told everyone twice. An idempotency record may now name the comment it wrote. One
nullable column: existing rows (ticket creates) keep their meaning.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0021_comment_idempotency'
down_revision = '0020_report_indexes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("idempotency_record") as batch:
        batch.add_column(sa.Column("comment_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_idempotency_record_comment_id_ticket_comment", "ticket_comment",
                                 ["comment_id"], ["id"], ondelete="CASCADE")


def downgrade() -> None:
    # The comments' keys go with the column (ticket creates' keys stay): a retry after a downgrade writes again.
    op.execute("DELETE FROM idempotency_record WHERE comment_id IS NOT NULL")
    with op.batch_alter_table("idempotency_record") as batch:
        batch.drop_constraint("fk_idempotency_record_comment_id_ticket_comment", type_="foreignkey")
        batch.drop_column("comment_id")
