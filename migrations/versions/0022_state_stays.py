"""State stays: one row per stay of a ticket in a state, for time_in_state

Revision ID: 0022_state_stays
Revises: 0021_comment_idempotency
Create Date: 2026-12-04 04:30:00

time_in_state paired each transition of the range with the ticket's transition before it (one index step per
stay, then every stay joined to its ticket): about 4 s at 1,000,000 tickets. The stays are now written with each
transition, and this migration fills them from the history, in SQL on both databases: a closed stay per
`transitioned` event (its `from` state, entered at the ticket's transition before it in (at, id) order or at the
ticket's creation, left at the event), and an open stay per ticket that has moved (its current state, entered at
its last transition; a ticket that never moved has no stay until its first transition, as the code writes them).
The events stay as they are; the downgrade drops the table, which they re-create.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import platform_core.db

revision = '0022_state_stays'
down_revision = '0021_comment_idempotency'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ticket_state_stay",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=64), nullable=False),
        sa.Column("entered_at", platform_core.db.UTCDateTime(), nullable=False),
        sa.Column("left_at", platform_core.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    source = {"postgresql": "e.details ->> 'from'"}.get(op.get_bind().dialect.name, "json_extract(e.details, '$.from')")
    op.execute("""
        INSERT INTO ticket_state_stay (ticket_id, status, entered_at, left_at)
        SELECT e.ticket_id, FROM_STATE,
               COALESCE(lag(e.at) OVER (PARTITION BY e.ticket_id ORDER BY e.at, e.id), t.created_at), e.at
        FROM ticket_event AS e JOIN ticket AS t ON t.id = e.ticket_id
        WHERE e.kind = 'transitioned'
    """.replace("FROM_STATE", source))
    op.execute("""
        INSERT INTO ticket_state_stay (ticket_id, status, entered_at, left_at)
        SELECT t.id, t.status, max(e.at), NULL
        FROM ticket AS t JOIN ticket_event AS e ON e.ticket_id = t.id AND e.kind = 'transitioned'
        GROUP BY t.id, t.status
    """)
    op.create_index("ux_ticket_state_stay_open", "ticket_state_stay", ["ticket_id"], unique=True,
                    sqlite_where=sa.text("left_at IS NULL"), postgresql_where=sa.text("left_at IS NULL"))
    op.create_index("ix_ticket_state_stay_left", "ticket_state_stay", ["left_at", "ticket_id", "status", "entered_at"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ANALYZE ticket_state_stay")  # the planner knows its size now, not after autovacuum's next round


def downgrade() -> None:
    # Only derived rows go: the transition events they were made from stay, and the upgrade makes them again.
    op.drop_index("ix_ticket_state_stay_left", table_name="ticket_state_stay")
    op.drop_index("ux_ticket_state_stay_open", table_name="ticket_state_stay")
    op.drop_table("ticket_state_stay")
