"""The work of a claimed ``ticket_timer`` row, for the sweep: an `elapsed` automation or a delayed survey."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from runtime.automations.runner import run_elapsed
from runtime.automations.surveys import request_survey
from runtime.tickets.models import Ticket


def run_timer(session: Session, ticket: Ticket, kind: str, ref: dict[str, Any], now: datetime) -> None:
    """Do a claimed timer's work (the sweep deleted its row in this transaction)."""
    if kind == "survey":
        request_survey(session, ticket, ref, now)
    else:
        run_elapsed(session, ticket, ref, now)
