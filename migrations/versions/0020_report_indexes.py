"""Indexes for the slow metrics: time_in_state and backlog/load

Revision ID: 0020_report_indexes
Revises: 0019_report_subscriptions
Create Date: 2026-12-03 19:00:00

time_in_state finds, for each transition that ended a stay in the range, the ticket's transition before it: a
backward step in (ticket_id, kind, at, id). backlog and load read the open tickets' creation times with the
columns they are broken down and made visible by: on PostgreSQL a covering index (INCLUDE) lets them read the
index alone. Indexes only: no data changes.
"""

from __future__ import annotations

from alembic import op

revision = '0020_report_indexes'
down_revision = '0019_report_subscriptions'
branch_labels = None
depends_on = None

COVERED = ["team_id", "assignee_id", "requester_id", "ticket_type_id", "priority"]


def upgrade() -> None:
    op.create_index("ix_ticket_event_transitions", "ticket_event", ["ticket_id", "kind", "at", "id"])
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_ticket_category_created_cover", "ticket", ["status_category", "created_at"],
                        postgresql_include=COVERED)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_ticket_category_created_cover", table_name="ticket")
    op.drop_index("ix_ticket_event_transitions", table_name="ticket_event")
