"""Satisfaction surveys API: a ticket's surveys and answering them in the portal, the requester's open surveys
(My tickets), the signed links (public: the token is the credential), follow-up tasks, and results per ticket,
agent, team and type (aggregated in SQL, for dashboards)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import g
from marshmallow import fields, validate
from sqlalchemy import Integer, and_, case, func, literal, or_, select, tuple_
from sqlalchemy.sql import ColumnElement

from platform_core.api import CURSOR_MAX_LENGTH, Blueprint, decode_cursor, encode_cursor, keyset_page, page_schema
from platform_core.auth import current as auth_current
from platform_core.auth.current import actor, requires
from platform_core.auth.models import Team, User, team_member
from platform_core.db import db_session, utcnow
from platform_core.errors import BadRequest, NotFound, Unauthorized
from platform_core.fields import Id, Timestamp
from runtime.automations import surveys
from runtime.automations.models import SurveyFollowUp, TicketSurvey
from runtime.rules import texts
from runtime.tickets import access
from runtime.tickets.display import reader_of, request_reader
from runtime.tickets.models import Ticket, TicketType

bp = Blueprint("surveys", __name__, url_prefix="/api/v1", description="Satisfaction surveys")


class SurveyTicketSchema(ma.Schema):
    id = fields.Integer()
    number = fields.String()
    title = fields.String()


class SurveySchema(ma.Schema):
    id = fields.Integer()
    ticket_id = fields.Integer()
    kind = fields.String(metadata={"description": "csat (1-5) or nps (0-10)"})
    low = fields.Integer(metadata={"description": "The lowest score of the scale"})
    high = fields.Integer(metadata={"description": "The highest score of the scale"})
    requested_at = Timestamp()
    expires_at = Timestamp(allow_none=True)
    expired = fields.Boolean()
    score = fields.Integer(allow_none=True)
    comment = fields.String(allow_none=True)
    answered_at = Timestamp(allow_none=True)
    answered_via = fields.String(allow_none=True, metadata={"description": "link or portal"})
    bad = fields.Boolean(allow_none=True, metadata={"description": "The score is at or below the definition's bad_at_most"})
    can_answer = fields.Boolean(metadata={"description": "You are the requester and it is open"})
    ticket = fields.Nested(SurveyTicketSchema)


class SurveyListSchema(ma.Schema):
    items = fields.List(fields.Nested(SurveySchema))


class SurveyAnswerSchema(ma.Schema):
    score = fields.Integer(required=True, strict=True)
    comment = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000))


class SurveyLinkQuerySchema(ma.Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class SurveyLinkAnswerSchema(SurveyAnswerSchema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class SurveyLinkSchema(ma.Schema):
    survey = fields.Nested(SurveySchema)
    locale = fields.String(metadata={"description": "The requester's language: the page speaks it"})
    needs_sign_in = fields.Boolean(metadata={"description": "A chat message's link: sign in as the requester"})


class PageQuerySchema(ma.Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String(load_default=None, validate=validate.Length(max=CURSOR_MAX_LENGTH))


class FollowUpQuerySchema(PageQuerySchema):
    status = fields.String(load_default="open", validate=validate.OneOf(["open", "done", "all"]))


class FollowUpPersonSchema(ma.Schema):
    id = fields.Integer()
    name = fields.String()
    email = fields.String()


class FollowUpSchema(ma.Schema):
    id = fields.Integer()
    status = fields.String(metadata={"description": "open or done"})
    created_at = Timestamp()
    done_at = Timestamp(allow_none=True)
    note = fields.String(allow_none=True)
    assignee = fields.Nested(FollowUpPersonSchema, allow_none=True)
    team = fields.String(allow_none=True, metadata={"description": "The team's name"})
    survey = fields.Nested(SurveySchema)


class FollowUpDoneSchema(ma.Schema):
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000))


GROUPS = ("ticket", "agent", "team", "type")


class ResultsQuerySchema(PageQuerySchema):
    by = fields.String(load_default="team", validate=validate.OneOf(GROUPS),
                       metadata={"description": "ticket (one row per answered survey), agent, team or type"})
    kind = fields.String(load_default=None, validate=validate.OneOf(["csat", "nps"]))
    type = fields.String(load_default=None, validate=validate.Length(min=1, max=64),
                         metadata={"description": "Only this ticket type (key)"})
    team = Id(load_default=None, metadata={"description": "Only this team (id)"})
    agent = Id(load_default=None, metadata={"description": "Only this agent (user id)"})
    since = Timestamp(load_default=None, metadata={"description": "Asked at or after"})
    until = Timestamp(load_default=None, metadata={"description": "Asked before"})

    @ma.validates_schema
    def _order(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("since") and data.get("until") and data["until"] <= data["since"]:
            raise ma.ValidationError("'until' comes after 'since'.", field_name="until")


class ResultSchema(ma.Schema):
    key = fields.Integer(allow_none=True, metadata={"description": "The agent, team or type id; the ticket id by ticket"})
    name = fields.String(allow_none=True)
    kind = fields.String()
    asked = fields.Integer()
    answered = fields.Integer()
    average = fields.Float(allow_none=True)
    bad = fields.Integer(metadata={"description": "Answers at or below the bad score"})
    satisfied = fields.Integer(allow_none=True, metadata={"description": "CSAT: answers of 4 or 5"})
    csat = fields.Float(allow_none=True, metadata={"description": "CSAT: satisfied / answered, in percent"})
    promoters = fields.Integer(allow_none=True, metadata={"description": "NPS: answers of 9 or 10"})
    detractors = fields.Integer(allow_none=True, metadata={"description": "NPS: answers of 0 to 6"})
    nps = fields.Float(allow_none=True, metadata={"description": "NPS: (promoters - detractors) / answered x 100"})
    score = fields.Integer(allow_none=True, metadata={"description": "By ticket: the answer"})
    comment = fields.String(allow_none=True, metadata={"description": "By ticket: the comment"})
    answered_at = Timestamp(allow_none=True)
    ticket = fields.Nested(SurveyTicketSchema, allow_none=True)


# --------------------------------------------------------------------------- shown


def _view(survey: TicketSurvey, ticket: Ticket, user: User | None) -> dict[str, Any]:
    low, high = surveys.scale(survey)
    expired = surveys.expired(survey)
    return {**{name: getattr(survey, name) for name in ("id", "ticket_id", "kind", "requested_at", "expires_at", "score",
                                                       "comment", "answered_at", "answered_via")},
            "low": low, "high": high, "expired": expired,
            "bad": surveys.is_bad(survey) if survey.score is not None else None,
            "can_answer": user is not None and user.id == ticket.requester_id and survey.answered_at is None
            and not expired,
            "ticket": {"id": ticket.id, "number": ticket.number, "title": ticket.title}}


@bp.get("/tickets/<int:ticket_id>/surveys")
@requires()
@bp.response(200, SurveyListSchema)
def list_surveys(ticket_id):
    """The satisfaction surveys asked on a ticket, answered or not, and whether you may answer."""
    user = actor()
    ticket = access.get_visible_ticket(db_session, user, ticket_id)
    found = db_session.scalars(select(TicketSurvey).where(TicketSurvey.ticket_id == ticket.id).order_by(TicketSurvey.id))
    return {"items": [_view(survey, ticket, user) for survey in found]}


@bp.post("/tickets/<int:ticket_id>/surveys/<int:survey_id>")
@requires()
@bp.arguments(SurveyAnswerSchema)
@bp.response(200, SurveySchema)
def answer_survey(body, ticket_id, survey_id):
    """Answer a survey in the portal: only the ticket's requester, once (409 keeps the first answer; 422 for a
    score off the scale)."""
    user = actor()
    locale = reader_of(user).locale
    ticket = access.get_visible_ticket(db_session, user, ticket_id)
    survey = db_session.get(TicketSurvey, survey_id)
    if survey is None or survey.ticket_id != ticket.id:
        raise NotFound(texts.say("survey.not_found", locale, id=survey_id, number=ticket.number))
    return _view(surveys.answer(db_session, survey, ticket, user, body, via="portal", locale=locale), ticket, user)


@bp.get("/surveys/mine")
@requires()
@bp.arguments(PageQuerySchema, location="query")
@bp.response(200, page_schema(SurveySchema, "MySurveyPage"))
def my_surveys(args):
    """Surveys waiting for your answer (you are the requester, not answered, not expired), newest first."""
    user = actor()
    stmt = (select(TicketSurvey).join(Ticket, Ticket.id == TicketSurvey.ticket_id)
            .where(Ticket.requester_id == user.id, TicketSurvey.answered_at.is_(None),
                   or_(TicketSurvey.expires_at.is_(None), TicketSurvey.expires_at > utcnow())))
    page = keyset_page(db_session, stmt, [TicketSurvey.id], args["limit"], args["cursor"], descending=True)
    tickets = _tickets({survey.ticket_id for survey in page["items"]})
    page["items"] = [_view(survey, tickets[survey.ticket_id], user) for survey in page["items"]]
    return page


def _tickets(ids: set[int]) -> dict[int, Ticket]:
    return {t.id: t for t in db_session.scalars(select(Ticket).where(Ticket.id.in_(ids)))} if ids else {}


# --------------------------------------------------------------------------- the signed links (public)


def _link_user(claims: dict[str, Any], ticket: Ticket) -> User | None:
    """Who answers with the link: the requester it was sent to, or (a chat message's link) whoever is signed in."""
    if claims["u"] is None:
        auth_current.load_principal()
        return g.get("user")
    return ticket.requester


@bp.get("/survey-links")
@bp.arguments(SurveyLinkQuerySchema, location="query")
@bp.response(200, SurveyLinkSchema)
def check_link(args):
    """What a survey link is for (the answer page shows it; a GET answers nothing): the ticket, the scale, and
    whether it is answered already or expired. 410 when the link is not ours or was tampered with."""
    survey, ticket, claims = surveys.by_link(db_session, args["token"], request_reader().locale)
    user = _link_user(claims, ticket)
    return {"survey": _view(survey, ticket, user if claims["u"] is not None or user else None),
            "locale": reader_of(ticket.requester).locale, "needs_sign_in": claims["u"] is None and user is None}


@bp.post("/survey-links")
@bp.arguments(SurveyLinkAnswerSchema)
@bp.response(200, SurveyLinkSchema)
def answer_by_link(body):
    """Answer with the link, without signing in (a chat message's link: signed in as the requester). 409 when it
    was answered already (the first answer is kept), 410 when the link is not valid or has expired, 422 for a
    score off the scale; nothing changes on any of them."""
    locale = request_reader().locale
    survey, ticket, claims = surveys.by_link(db_session, body["token"], locale)
    user = _link_user(claims, ticket)
    if user is None:
        raise Unauthorized(texts.say("survey.link_login", locale))
    locale = reader_of(ticket.requester).locale if claims["u"] is not None else locale
    answered = surveys.answer(db_session, survey, ticket, user, body, via="link", locale=locale)
    return {"survey": _view(answered, ticket, user), "locale": reader_of(ticket.requester).locale,
            "needs_sign_in": False}


# --------------------------------------------------------------------------- follow-up tasks


def _follow_up_filter(user: User) -> ColumnElement[bool]:
    """Admins see every follow-up; others those assigned to them and those of teams they lead or belong to."""
    if user.has_role("admin"):
        return literal(True)
    led = select(Team.id).where(or_(Team.supervisor_id == user.id, Team.manager_id == user.id))
    member = select(team_member.c.team_id).where(team_member.c.user_id == user.id)
    return or_(SurveyFollowUp.assignee_id == user.id, SurveyFollowUp.team_id.in_(led),
               and_(SurveyFollowUp.assignee_id.is_(None), SurveyFollowUp.team_id.in_(member)))


def _follow_up_views(tasks: list[SurveyFollowUp], user: User) -> list[dict[str, Any]]:
    survey_ids = {t.survey_id for t in tasks}
    found = {s.id: s for s in db_session.scalars(select(TicketSurvey).where(TicketSurvey.id.in_(survey_ids)))} \
        if survey_ids else {}
    tickets = _tickets({t.ticket_id for t in tasks})
    people = {u.id: u for u in db_session.scalars(select(User).where(User.id.in_({t.assignee_id for t in tasks})))}
    team_ids = {t.team_id for t in tasks if t.team_id}
    teams = dict(db_session.execute(select(Team.id, Team.name).where(Team.id.in_(team_ids))).all()) \
        if team_ids else {}
    return [{"id": t.id, "status": t.status, "created_at": t.created_at, "done_at": t.done_at, "note": t.note,
             "assignee": people.get(t.assignee_id) if t.assignee_id else None, "team": teams.get(t.team_id),
             "survey": _view(found[t.survey_id], tickets[t.ticket_id], user)} for t in tasks]


@bp.get("/survey-follow-ups")
@requires()
@bp.arguments(FollowUpQuerySchema, location="query")
@bp.response(200, page_schema(FollowUpSchema, "SurveyFollowUpPage"))
def list_follow_ups(args):
    """Follow-up tasks opened by bad survey answers, newest first: yours (the team's supervisor), your teams'."""
    user = actor()
    stmt = select(SurveyFollowUp).where(_follow_up_filter(user))
    if args["status"] != "all":
        stmt = stmt.where(SurveyFollowUp.status == args["status"])
    page = keyset_page(db_session, stmt, [SurveyFollowUp.id], args["limit"], args["cursor"], descending=True)
    page["items"] = _follow_up_views(page["items"], user)
    return page


@bp.post("/survey-follow-ups/<int:follow_up_id>/done")
@requires()
@bp.arguments(FollowUpDoneSchema)
@bp.response(200, FollowUpSchema)
def follow_up_done(body, follow_up_id):
    """Mark a follow-up done, with an optional note (409 when it is done already)."""
    user = actor()
    locale = reader_of(user).locale
    task = db_session.scalar(select(SurveyFollowUp).where(SurveyFollowUp.id == follow_up_id, _follow_up_filter(user)))
    if task is None:
        raise NotFound(texts.say("survey.follow_up_not_found", locale, id=follow_up_id))
    return _follow_up_views([surveys.follow_up_done(db_session, task, user, body["note"], locale)], user)[0]


# --------------------------------------------------------------------------- results


def _group_column(by: str) -> Any:
    return {"agent": TicketSurvey.agent_id, "team": TicketSurvey.team_id, "type": TicketSurvey.ticket_type_id}[by]


def _names(by: str, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    model, label = {"agent": (User, User.name), "team": (Team, Team.name), "type": (TicketType, TicketType.key)}[by]
    return dict(db_session.execute(select(model.id, label).where(model.id.in_(ids))).all())


@bp.get("/survey-results")
@requires("admin", "designer", "agent")
@bp.arguments(ResultsQuerySchema, location="query")
@bp.response(200, page_schema(ResultSchema, "SurveyResultPage"))
def results(args):
    """Survey results per agent, team or type (one row per group and kind: asked, answered, average, bad,
    CSAT % or NPS), or per ticket (each answer, newest first). Aggregated in SQL; keyset pagination. Agents
    count only the tickets they may see."""
    user = actor()
    where: list[Any] = []
    if not user.has_role("admin", "designer"):
        where.append(TicketSurvey.ticket_id.in_(select(Ticket.id).where(access.visibility_filter(db_session, user))))
    if args["kind"]:
        where.append(TicketSurvey.kind == args["kind"])
    if args["type"]:
        where.append(TicketSurvey.ticket_type_id.in_(select(TicketType.id).where(TicketType.key == args["type"])))
    if args["team"] is not None:
        where.append(TicketSurvey.team_id == args["team"])
    if args["agent"] is not None:
        where.append(TicketSurvey.agent_id == args["agent"])
    if args["since"]:
        where.append(TicketSurvey.requested_at >= args["since"])
    if args["until"]:
        where.append(TicketSurvey.requested_at < args["until"])
    if args["by"] == "ticket":
        return _per_ticket(where, args)
    return _per_group(args["by"], where, args)


def _per_ticket(where: list[Any], args: dict[str, Any]) -> dict[str, Any]:
    stmt = select(TicketSurvey).where(TicketSurvey.answered_at.is_not(None), *where)
    page = keyset_page(db_session, stmt, [TicketSurvey.id], args["limit"], args["cursor"], descending=True)
    tickets = _tickets({s.ticket_id for s in page["items"]})
    page["items"] = [{"key": s.ticket_id, "name": tickets[s.ticket_id].number, "kind": s.kind, "asked": 1, "answered": 1,
                      "average": float(s.score or 0), "bad": int(surveys.is_bad(s)), "score": s.score,
                      "comment": s.comment, "answered_at": s.answered_at,
                      "ticket": {"id": s.ticket_id, "number": tickets[s.ticket_id].number,
                                 "title": tickets[s.ticket_id].title}} for s in page["items"]]
    return page


def _per_group(by: str, where: list[Any], args: dict[str, Any]) -> dict[str, Any]:
    key = func.coalesce(_group_column(by), 0)
    answered = TicketSurvey.answered_at.is_not(None)
    bad_at_most = func.coalesce(TicketSurvey.bad_at_most, case((TicketSurvey.kind == "nps", 6), else_=2))

    def count(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0))

    stmt = (select(key.label("key"), TicketSurvey.kind.label("kind"), func.count().label("asked"),
                   count(answered).label("answered"), func.avg(TicketSurvey.score).label("average"),
                   count(and_(answered, TicketSurvey.score <= bad_at_most)).label("bad"),
                   count(and_(answered, TicketSurvey.score >= 4)).label("high4"),
                   count(and_(answered, TicketSurvey.score >= 9)).label("high9"),
                   count(and_(answered, TicketSurvey.score <= 6)).label("low6"))
            .where(*where).group_by(key, TicketSurvey.kind))
    if args["cursor"]:
        after_key, after_kind = decode_cursor(args["cursor"], 2)
        if not isinstance(after_key, int) or isinstance(after_key, bool) or not isinstance(after_kind, str):
            raise BadRequest("The cursor is not valid; start again without it.",
                             details=[{"path": "/cursor", "location": "query", "message": "Not a cursor from this list."}])
        stmt = stmt.where(tuple_(key, TicketSurvey.kind) > tuple_(literal(after_key, Integer()), literal(after_kind)))
    rows = db_session.execute(stmt.order_by(key, TicketSurvey.kind).limit(args["limit"] + 1)).all()
    next_cursor = None
    if len(rows) > args["limit"]:
        rows = rows[:args["limit"]]
        next_cursor = encode_cursor([rows[-1].key, rows[-1].kind])
    names = _names(by, {row.key for row in rows if row.key})
    items = []
    for row in rows:
        got = int(row.answered or 0)
        csat, nps = row.kind == "csat", row.kind == "nps"
        items.append({
            "key": row.key or None, "name": names.get(row.key), "kind": row.kind, "asked": row.asked, "answered": got,
            "average": round(float(row.average), 2) if row.average is not None else None, "bad": int(row.bad or 0),
            "satisfied": int(row.high4 or 0) if csat else None,
            "csat": round(100.0 * int(row.high4 or 0) / got, 1) if csat and got else None,
            "promoters": int(row.high9 or 0) if nps else None, "detractors": int(row.low6 or 0) if nps else None,
            "nps": round(100.0 * (int(row.high9 or 0) - int(row.low6 or 0)) / got, 1) if nps and got else None})
    return {"items": items, "next_cursor": next_cursor}
