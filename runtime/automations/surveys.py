"""Satisfaction surveys: asked of the requester after closure (at once or after a delay, through a
timer the sweep fires), answered once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from runtime.automations.models import TicketSurvey, TicketTimer
from runtime.rules.durations import parse_duration
from runtime.tickets.display import survey_message
from runtime.tickets.history import record_event
from runtime.tickets.models import Ticket
from runtime.tickets.recipients import notify


def request_survey(session: Session, ticket: Ticket, kind: str) -> None:
    open_survey = session.scalar(select(TicketSurvey).where(TicketSurvey.ticket_id == ticket.id,
                                                            TicketSurvey.kind == kind,
                                                            TicketSurvey.answered_at.is_(None)))
    if open_survey is not None:
        return
    session.add(TicketSurvey(ticket_id=ticket.id, kind=kind))
    notify(session, ticket, ["requester"], "survey", survey_message(ticket, kind), actor_id=None)
    record_event(session, ticket, "survey_requested", actor_id=None, details={"kind": kind})


def schedule_survey(session: Session, ticket: Ticket, kind: str, after: str | None, now: datetime) -> None:
    if not after or not parse_duration(after):
        request_survey(session, ticket, kind)
    else:
        session.add(TicketTimer(ticket_id=ticket.id, kind="survey", due_at=now + parse_duration(after),
                                ref={"kind": kind}))


def survey_action(session: Session, user: Any, ticket: Ticket, action: dict[str, Any], origin: str,
                  now: datetime) -> list[str]:
    """The ``survey`` action of transitions and automations (registered in runtime.tickets.hooks.ACTIONS)."""
    schedule_survey(session, ticket, action.get("kind", "csat"), action.get("after"), now)
    return []
