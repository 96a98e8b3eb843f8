"""Indexes for the metrics layer

Revision ID: 0015_report_indexes
Revises: 0014_operations
Create Date: 2026-12-03 05:50:00

Each metric of runtime.reports selects a time range on one column: the first response, the last resolution,
the transition events by time, the SLA clocks by start. Indexes only: no data changes.
"""

from __future__ import annotations

from alembic import op

revision = '0015_report_indexes'
down_revision = '0014_operations'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_ticket_first_response", "ticket", ["first_response_at"])
    op.create_index("ix_ticket_resolved", "ticket", ["resolved_at"])
    op.create_index("ix_ticket_event_kind_at", "ticket_event", ["kind", "at"])
    op.create_index("ix_ticket_sla_started", "ticket_sla", ["started_at"])


def downgrade() -> None:
    op.drop_index("ix_ticket_sla_started", table_name="ticket_sla")
    op.drop_index("ix_ticket_event_kind_at", table_name="ticket_event")
    op.drop_index("ix_ticket_resolved", table_name="ticket")
    op.drop_index("ix_ticket_first_response", table_name="ticket")
