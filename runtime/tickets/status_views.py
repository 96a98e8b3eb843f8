"""The public status page's API: what a signed status link shows (runtime.tickets.status_links) — the ticket's
number, its product and serial number, its current state in the reader's language, the service mode and visit
times when set, and a timeline of public state changes and public replies. Never internal comments or events,
assignees, teams, e-mail addresses or any other field. Public: the token is the credential; it changes nothing.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate
from sqlalchemy import select

from platform_core.api import Blueprint
from platform_core.db import db_session
from platform_core.fields import Timestamp
from runtime.rules import texts
from runtime.rules.cache import compiled_for, labels_for
from runtime.tickets import status_links
from runtime.tickets.display import reader_of, request_reader
from runtime.tickets.models import Ticket, TicketComment, TicketEvent

bp = Blueprint("status_links", __name__, url_prefix="/api/v1", description="Public ticket status links")

TIMELINE_LIMIT = 200


class StatusLinkQuerySchema(ma.Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    locale = fields.String(load_default=None, validate=validate.OneOf(["en", "zh-CN"]),
                           metadata={"description": "The page's language; the requester's by default"})


class StatusFieldSchema(ma.Schema):
    name = fields.String()
    title = fields.String()
    value = fields.String(metadata={"description": "As the reader reads it (option labels, dates)"})


class StatusStepSchema(ma.Schema):
    kind = fields.String(metadata={"description": "created, status or reply"})
    at = Timestamp()
    state = fields.String(allow_none=True, metadata={"description": "created, status: the state's name"})
    text = fields.String(allow_none=True, metadata={"description": "reply: the public reply"})
    by = fields.String(allow_none=True, metadata={"description": "reply: 'you' (the requester) or 'staff'"})


class StatusViewSchema(ma.Schema):
    number = fields.String()
    title = fields.String()
    type = fields.String(metadata={"description": "The ticket type's name"})
    status = fields.String(metadata={"description": "The current state's key"})
    status_name = fields.String(metadata={"description": "The current state's name in the page's language"})
    status_category = fields.String(metadata={"description": "new, open, pending, resolved or closed"})
    created_at = Timestamp()
    updated_at = Timestamp()
    fields_ = fields.List(fields.Nested(StatusFieldSchema), data_key="fields")
    timeline = fields.List(fields.Nested(StatusStepSchema), metadata={"description": "Oldest first"})
    locale = fields.String(metadata={"description": "The language the texts are in"})
    expires_in_days = fields.Integer(metadata={"description": "How long a link lives after it is sent"})


def _ticket_of(token: str, locale: str) -> Ticket:
    found = status_links.read(token)
    if isinstance(found, str):
        raise status_links.StatusLinkInvalid(texts.say(f"status.link_{found}", locale))
    ticket = db_session.get(Ticket, found)
    if ticket is None:
        raise status_links.StatusLinkInvalid(texts.say("status.not_found", locale))
    return ticket


def public_view(ticket: Ticket, locale: str) -> dict[str, Any]:
    """The ticket as its status page shows it, in ``locale`` (times are the reader's to format)."""
    labels = labels_for(ticket.type_version, locale)
    time_zone = reader_of(ticket.requester).time_zone
    # the form fields the definition makes public (access.public_fields), when set; nothing else of the data
    public = compiled_for(ticket.type_version).document.get("access", {}).get("public_fields", [])
    shown = [{"name": name, "title": labels.field_title(name),
              "value": labels.value(name, ticket.data[name], time_zone=time_zone)}
             for name in public if name in labels.fields and ticket.data.get(name) not in (None, "", [])]
    timeline: list[dict[str, Any]] = [{"kind": "created", "at": ticket.created_at, "state": None, "text": None,
                                       "by": None}]
    moves = db_session.scalars(select(TicketEvent).where(
        TicketEvent.ticket_id == ticket.id, TicketEvent.kind == "transitioned", TicketEvent.internal.is_(False))
        .order_by(TicketEvent.id).limit(TIMELINE_LIMIT))
    for event in moves:
        before, after = event.details.get("from"), event.details.get("to")
        if isinstance(after, str) and after != before:
            timeline.append({"kind": "status", "at": event.at, "state": labels.state(after), "text": None, "by": None})
    replies = db_session.scalars(select(TicketComment).where(
        TicketComment.ticket_id == ticket.id, TicketComment.internal.is_(False))
        .order_by(TicketComment.id).limit(TIMELINE_LIMIT))
    for comment in replies:
        timeline.append({"kind": "reply", "at": comment.created_at, "state": None, "text": comment.body,
                         "by": "you" if comment.author_id == ticket.requester_id else "staff"})
    timeline.sort(key=lambda step: step["at"])
    name = labels.document.get("name") if isinstance(labels.document, dict) else None
    return {"number": ticket.number, "title": ticket.title, "type": name or ticket.ticket_type.name,
            "status": ticket.status, "status_name": labels.state(ticket.status),
            "status_category": ticket.status_category, "created_at": ticket.created_at,
            "updated_at": ticket.updated_at, "fields_": shown, "timeline": timeline, "locale": locale,
            "expires_in_days": status_links.MAX_AGE.days}


@bp.get("/status-links")
@bp.arguments(StatusLinkQuerySchema, location="query")
@bp.response(200, StatusViewSchema)
def show_status(args):
    """A ticket's public status, for its signed status link (no sign-in): number, product, current state,
    service mode and visit times, and the public timeline. 410 when the link is not ours, was tampered with or
    has expired; the page shows nothing of the ticket then."""
    ticket = _ticket_of(args["token"], request_reader().locale)
    return public_view(ticket, args["locale"] or reader_of(ticket.requester).locale)
