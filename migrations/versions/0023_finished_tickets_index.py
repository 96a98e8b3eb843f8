"""An index for a ticket's similar tickets: the newest finished tickets of its type

Revision ID: 0023_finished_tickets_index
Revises: 0022_state_stays
Create Date: 2026-12-04 10:30:00

The agent's ticket page asks for similar resolved tickets (and the articles they lead to): the 500 newest finished
tickets of the ticket's type, by when they were closed, else resolved, else last changed. At 1,000,000 tickets that
sorted every finished ticket (about 400 ms on PostgreSQL). A partial index on exactly that order, holding only
resolved and closed tickets, answers it from a few pages. An index only: no data changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0023_finished_tickets_index'
down_revision = '0022_state_stays'
branch_labels = None
depends_on = None

FINISHED = sa.text("status_category IN ('resolved', 'closed')")


def upgrade() -> None:
    op.create_index("ix_ticket_type_finished", "ticket",
                    ["ticket_type_id", sa.text("coalesce(closed_at, resolved_at, updated_at)"), "id"],
                    postgresql_where=FINISHED, sqlite_where=FINISHED)


def downgrade() -> None:
    op.drop_index("ix_ticket_type_finished", table_name="ticket")
