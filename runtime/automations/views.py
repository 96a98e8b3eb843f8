"""Automation runs (what each automation did, for designers and agents) and satisfaction surveys."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate
from sqlalchemy import select

from platform_core.api import CURSOR_MAX_LENGTH, Blueprint, keyset_page, page_schema
from platform_core.auth.current import actor, requires
from platform_core.db import db_session, utcnow
from platform_core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from platform_core.fields import Id, Timestamp
from runtime.automations.models import AutomationRun, TicketSurvey
from runtime.tickets import access
from runtime.tickets.history import record_event
from runtime.tickets.models import Ticket, TicketType

bp = Blueprint("automations", __name__, url_prefix="/api/v1", description="Automation runs and surveys")


class AutomationRunSchema(ma.Schema):
    id = fields.Integer()
    ticket_id = fields.Integer()
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
    outcome = fields.String(load_default=None, validate=validate.OneOf(["succeeded", "failed", "loop_stopped"]))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String(load_default=None, validate=validate.Length(max=CURSOR_MAX_LENGTH))


class SurveySchema(ma.Schema):
    id = fields.Integer()
    ticket_id = fields.Integer()
    kind = fields.String(metadata={"description": "csat (1-5) or nps (0-10)"})
    requested_at = Timestamp()
    score = fields.Integer(allow_none=True)
    comment = fields.String(allow_none=True)
    answered_at = Timestamp(allow_none=True)


class SurveyListSchema(ma.Schema):
    items = fields.List(fields.Nested(SurveySchema))


class SurveyAnswerSchema(ma.Schema):
    score = fields.Integer(required=True, strict=True)
    comment = fields.String(load_default=None, validate=validate.Length(max=5000))


SCALES = {"csat": (1, 5), "nps": (0, 10)}


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
    if args["outcome"]:
        stmt = stmt.where(AutomationRun.outcome == args["outcome"])
    return keyset_page(db_session, stmt, [AutomationRun.id], args["limit"], args["cursor"], descending=True)


@bp.get("/tickets/<int:ticket_id>/surveys")
@requires()
@bp.response(200, SurveyListSchema)
def list_surveys(ticket_id):
    """The satisfaction surveys asked on a ticket, answered or not."""
    ticket = access.get_visible_ticket(db_session, actor(), ticket_id)
    return {"items": list(db_session.scalars(select(TicketSurvey).where(TicketSurvey.ticket_id == ticket.id)
                                             .order_by(TicketSurvey.id)))}


@bp.post("/tickets/<int:ticket_id>/surveys/<int:survey_id>")
@requires()
@bp.arguments(SurveyAnswerSchema)
@bp.response(200, SurveySchema)
def answer_survey(body, ticket_id, survey_id):
    """Answer a survey: only the ticket's requester, once."""
    user = actor()
    ticket = access.get_visible_ticket(db_session, user, ticket_id)
    survey = db_session.get(TicketSurvey, survey_id)
    if survey is None or survey.ticket_id != ticket.id:
        raise NotFound(f"Survey {survey_id} does not exist on {ticket.number}.")
    if ticket.requester_id != user.id:
        raise Forbidden("Only the requester answers the survey.")
    if survey.answered_at is not None:
        raise Conflict("This survey was answered already.")
    low, high = SCALES[survey.kind]
    if not low <= body["score"] <= high:
        raise ValidationFailed.field("/score", f"Give a score from {low} to {high}.")
    survey.score, survey.comment, survey.answered_at = body["score"], body["comment"], utcnow()
    record_event(db_session, ticket, "survey_answered", actor_id=user.id,
                 details={"kind": survey.kind, "score": survey.score})
    db_session.commit()
    return survey
