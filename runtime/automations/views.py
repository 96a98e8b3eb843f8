"""Automation runs: what each automation did, for designers and agents (surveys: runtime.automations.survey_views)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate
from sqlalchemy import select

from platform_core.api import CURSOR_MAX_LENGTH, Blueprint, keyset_page, page_schema
from platform_core.auth.current import actor, requires
from platform_core.db import db_session
from platform_core.fields import Id, Timestamp
from runtime.automations.models import AutomationRun
from runtime.tickets import access
from runtime.tickets.models import Ticket, TicketType

bp = Blueprint("automations", __name__, url_prefix="/api/v1", description="Automation runs")


class AutomationRunSchema(ma.Schema):
    id = fields.Integer()
    ticket_id = fields.Integer()
    ticket_number = fields.String(metadata={"description": "The ticket's number, e.g. INC-000123"})
    ticket_type = fields.String(metadata={"description": "The ticket type's key"})
    automation_index = fields.Integer()
    automation = fields.String()
    trigger = fields.String()
    outcome = fields.String(metadata={"description": "succeeded, failed or loop_stopped"})
    error = fields.String(allow_none=True)
    depth = fields.Integer(metadata={"description": "How deep in an automation chain it ran (0: a person's action)"})
    at = Timestamp()


class AutomationRunQuerySchema(ma.Schema):
    type = fields.String(load_default=None, metadata={"description": "Ticket type key"})
    ticket_id = Id(load_default=None)
    automation = fields.String(load_default=None, validate=validate.Length(min=1, max=200),
                               metadata={"description": "The automation's name"})
    outcome = fields.String(load_default=None, validate=validate.OneOf(["succeeded", "failed", "loop_stopped"]))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String(load_default=None, validate=validate.Length(max=CURSOR_MAX_LENGTH))




@bp.get("/automation-runs")
@requires("admin", "designer", "agent")
@bp.arguments(AutomationRunQuerySchema, location="query")
@bp.response(200, page_schema(AutomationRunSchema, "AutomationRunPage"))
def list_runs(args):
    """Automation runs, newest first: which rule ran on which ticket, on what trigger, and how it went.

    Agents see the runs of tickets they may see; admins and designers see all.
    """
    user = actor()
    stmt = select(AutomationRun)
    if args["ticket_id"] is not None:
        access.get_visible_ticket(db_session, user, args["ticket_id"])
        stmt = stmt.where(AutomationRun.ticket_id == args["ticket_id"])
    elif not user.has_role("admin", "designer"):
        stmt = stmt.where(AutomationRun.ticket_id.in_(select(Ticket.id).where(access.visibility_filter(db_session, user))))
    if args["type"]:
        stmt = stmt.where(AutomationRun.ticket_type_id.in_(select(TicketType.id).where(TicketType.key == args["type"])))
    if args["automation"]:
        stmt = stmt.where(AutomationRun.automation == args["automation"])
    if args["outcome"]:
        stmt = stmt.where(AutomationRun.outcome == args["outcome"])
    page = keyset_page(db_session, stmt, [AutomationRun.id], args["limit"], args["cursor"], descending=True)
    page["items"] = _with_tickets(page["items"])
    return page


def _with_tickets(runs: list[AutomationRun]) -> list[dict[str, Any]]:
    """The runs with their ticket's number and type key (one statement for the page), so the log links to them."""
    ids = {run.ticket_id for run in runs}
    found = {row.id: row for row in db_session.execute(
        select(Ticket.id, Ticket.number, TicketType.key).join(TicketType, TicketType.id == Ticket.ticket_type_id)
        .where(Ticket.id.in_(ids)))} if ids else {}
    return [{**{name: getattr(run, name) for name in _RUN_COLUMNS},
             "ticket_number": found[run.ticket_id].number if run.ticket_id in found else None,
             "ticket_type": found[run.ticket_id].key if run.ticket_id in found else None} for run in runs]


_RUN_COLUMNS = ("id", "ticket_id", "automation_index", "automation", "trigger", "outcome", "error", "depth", "at")
