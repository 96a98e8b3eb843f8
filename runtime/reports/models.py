"""Indexes the metrics read by: each metric selects a time range on one column, so that column is indexed.

They live on other capabilities' tables and are declared here, by the capability that needs them (the tickets
and SLA packages do not know reports exist); migration 0015_report_indexes creates them.
"""

from __future__ import annotations

from sqlalchemy import Index

from runtime.sla.models import TicketSla
from runtime.tickets.models import Ticket, TicketEvent

INDEXES = (
    Index("ix_ticket_first_response", Ticket.first_response_at),  # first_response_time
    Index("ix_ticket_resolved", Ticket.resolved_at),  # resolution_time, created_vs_resolved
    Index("ix_ticket_event_kind_at", TicketEvent.kind, TicketEvent.at),  # time_in_state
    Index("ix_ticket_sla_started", TicketSla.started_at),  # sla_compliance
)
