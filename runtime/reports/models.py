"""Indexes the metrics read by: each metric selects a time range on one column, so that column is indexed.

They live on other capabilities' tables and are declared here, by the capability that needs them (the tickets
and SLA packages do not know reports exist); migrations 0015_report_indexes and 0020_report_indexes create them.
"""

from __future__ import annotations

from sqlalchemy import Index

from runtime.sla.models import TicketSla
from runtime.tickets.models import Ticket, TicketEvent

INDEXES = (
    Index("ix_ticket_first_response", Ticket.first_response_at),  # first_response_time
    Index("ix_ticket_resolved", Ticket.resolved_at),  # resolution_time, created_vs_resolved
    # the range's transitions: time_in_state read them until it read the stays (ticket_state_stay, 0022)
    Index("ix_ticket_event_kind_at", TicketEvent.kind, TicketEvent.at),
    Index("ix_ticket_sla_started", TicketSla.started_at),  # sla_compliance
    # a ticket's transitions: reopen_rate, first_contact_resolution (and time_in_state before the stays: the
    # transition before a given one, by a backward step)
    Index("ix_ticket_event_transitions", TicketEvent.ticket_id, TicketEvent.kind, TicketEvent.at, TicketEvent.id),
    # backlog, load: the open tickets' ages and the columns they are broken down and made visible by, read from
    # the index alone (an index-only scan) rather than from every page of the ticket table; PostgreSQL only (SQLite
    # has no INCLUDE, and ix_ticket_category_created is this index without them)
    Index("ix_ticket_category_created_cover", Ticket.status_category, Ticket.created_at,
          postgresql_include=["team_id", "assignee_id", "requester_id", "ticket_type_id", "priority"]
          ).ddl_if(dialect="postgresql"),
)
