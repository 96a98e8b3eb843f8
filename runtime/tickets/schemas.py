"""Request and response schemas of the ticket API."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate
from webargs.fields import DelimitedList

from platform_core.api import CURSOR_MAX_LENGTH
from platform_core.auth.schemas import TeamRefSchema, UserRefSchema
from platform_core.db import get_session, utcnow
from platform_core.fields import Flag, Id, Timestamp
from runtime.tickets import hooks
from runtime.tickets.services import SOURCES


class TicketSchema(ma.Schema):
    id = fields.Integer()
    number = fields.String()
    type = fields.Function(lambda t: t.ticket_type.key)
    version = fields.Function(lambda t: t.type_version.number)
    title = fields.String()
    data = fields.Dict()
    status = fields.String()
    status_category = fields.String()
    priority = fields.String()
    team = fields.Nested(TeamRefSchema, allow_none=True)
    assignee = fields.Nested(UserRefSchema, allow_none=True)
    requester = fields.Nested(UserRefSchema)
    source = fields.String()
    parent_id = fields.Integer(allow_none=True)
    created_at = Timestamp()
    updated_at = Timestamp()
    first_response_at = Timestamp(allow_none=True)
    resolved_at = Timestamp(allow_none=True)
    closed_at = Timestamp(allow_none=True)
    row_version = fields.Integer(metadata={"description": "Also the ETag; send it back as If-Match"})
    sla_due_at = Timestamp(allow_none=True, metadata={"description": "The earliest due time of a running SLA clock"})
    sla = fields.Method("_sla", metadata={"description": "Each SLA clock: metric, state, due_at, elapsed and paused "
                                                         "business seconds, target_seconds"})

    def _sla(self, ticket):
        clocks = [clock for found in hooks.sla_view.send(get_session(), ticket, utcnow()) for clock in found]
        return [{**clock, "due_at": _iso(clock["due_at"]), "breached_at": _iso(clock["breached_at"]),
                 "stopped_at": _iso(clock["stopped_at"])} for clock in clocks]


class PrioritySetSchema(ma.Schema):
    by = fields.Nested(UserRefSchema, attribute="priority_set_by", allow_none=True)
    at = Timestamp(attribute="priority_set_at")
    reason = fields.String(attribute="priority_reason", allow_none=True)


def priority_set_view(ticket):
    """Who set the ticket's priority by hand, when and why; None while the definition decides it."""
    return PrioritySetSchema().dump(ticket) if ticket.priority_set_at is not None else None


class TicketDetailSchema(TicketSchema):
    staff = fields.Boolean(metadata={"description": "Whether you work this ticket as staff: you see and may write "
                                                    "internal comments, take agent transitions, edit it at any status"})
    display = fields.Dict(metadata={"description": "What the ticket reads as, in your language: `status` (the state's "
                                                   "name) and `fields`, the filled fields in form order, each "
                                                   "{field, title, text, files?: [{id, filename, content_type, size, "
                                                   "download_url}]}"})
    priority_set = fields.Nested(PrioritySetSchema, allow_none=True, metadata={
        "description": "Set by hand: {by, at, reason}; null while the definition decides the priority"})


def _iso(value):
    return value.isoformat() if value is not None else None


class TicketCreateSchema(ma.Schema):
    type = fields.String(required=True, validate=validate.Length(min=1, max=64))
    data = fields.Dict(required=True)
    requester = fields.Email(load_default=None, metadata={"description": "File for someone else (agents, admins)"})
    source = fields.String(load_default=None, validate=validate.OneOf(SOURCES))


class TicketPatchSchema(ma.Schema):
    data = fields.Dict(metadata={"description": "Fields to change; null removes a field"})
    priority = fields.String(allow_none=True, metadata={
        "description": "Set the priority by hand (agents): it then stays when the fields it depends on change. "
                       "null gives it back to the definition: recomputed from the fields now and whenever they change"})
    priority_reason = fields.String(allow_none=True, validate=validate.Length(max=500), metadata={
        "description": "Why the priority was set by hand (with priority); shown in the history and on the ticket"})
    team = fields.String(allow_none=True, metadata={"description": "Team key"})
    assignee = fields.String(allow_none=True, metadata={"description": "Assignee email"})


SORTS = ("created_at", "-created_at", "updated_at", "-updated_at", "priority", "-priority", "number", "-number",
         "sla_due", "-sla_due")


class TicketQuerySchema(ma.Schema):
    type = fields.String(load_default=None)
    status = fields.String(load_default=None)
    status_category = DelimitedList(
        fields.String(validate=validate.OneOf(["new", "open", "pending", "resolved", "closed"])), load_default=list,
        metadata={"description": "One status category or several, comma-separated (`new,open,pending,resolved`: "
                                 "everything not closed)"})
    priority = fields.String(load_default=None)
    team = fields.String(load_default=None, metadata={"description": "Team key, or 'mine' for your teams"})
    assignee = fields.String(load_default=None, metadata={"description": "Email, 'me' or 'none'"})
    requester = fields.String(load_default=None, metadata={"description": "Email or 'me'"})
    created_after = Timestamp(load_default=None)
    created_before = Timestamp(load_default=None)
    sla_due_before = Timestamp(load_default=None, metadata={
        "description": "Only tickets with a running SLA clock due before this instant (breaching soon)"})
    q = fields.String(load_default=None, validate=validate.Length(max=200),
                      metadata={"description": "Words in the title or description"})
    sort = fields.String(load_default="-created_at", validate=validate.OneOf(SORTS))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String(load_default=None, validate=validate.Length(max=CURSOR_MAX_LENGTH))


class TransitionOptionSchema(ma.Schema):
    key = fields.String()
    name = fields.String()
    to = fields.String()
    to_name = fields.String()
    allowed = fields.Boolean()
    reasons = fields.List(fields.Dict())
    requires = fields.List(fields.Dict(), metadata={"description": "Fields to fill first: {field, title, schema, "
                                                                   "options?: [{value, label}]}, in your language"})
    checklist = fields.List(fields.String(), metadata={"description": "Items to tick, in your language"})
    checklist_keys = fields.List(fields.String(), metadata={"description": "The same items as authored; either "
                                                                           "spelling may be sent back"})


class TransitionListSchema(ma.Schema):
    items = fields.List(fields.Nested(TransitionOptionSchema))


class TransitionTakeSchema(ma.Schema):
    fields_ = fields.Dict(data_key="fields", attribute="fields", load_default=dict)
    checklist = fields.List(fields.String(), load_default=list)
    comment = fields.String(load_default=None, validate=validate.Length(max=20000))
    internal = Flag(load_default=False, metadata={"description": "Make the comment internal (staff only)"})


class CommentSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    body = fields.String(required=True, validate=validate.Length(min=1, max=20000))
    internal = Flag(load_default=False)
    author = fields.Nested(UserRefSchema, dump_only=True, allow_none=True)
    created_at = Timestamp(dump_only=True)


class CommentListSchema(ma.Schema):
    items = fields.List(fields.Nested(CommentSchema))


class EventSchema(ma.Schema):
    id = fields.Integer()
    at = Timestamp()
    kind = fields.String()
    internal = fields.Boolean()
    actor = fields.Nested(UserRefSchema, allow_none=True)
    details = fields.Dict(metadata={"description": "What happened, as stored: keys, values, emails"})
    display = fields.Dict(metadata={"description": "The details as you read them (runtime.tickets.display): state, "
                                                   "transition, field and team names, people's names, value labels"})


class EventQuerySchema(ma.Schema):
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))
    cursor = fields.String(load_default=None, validate=validate.Length(max=CURSOR_MAX_LENGTH))


class WatcherSchema(ma.Schema):
    user_id = Id(load_default=None, metadata={"description": "Default: yourself"})


class WatcherListSchema(ma.Schema):
    items = fields.List(fields.Nested(UserRefSchema))


class LinkCreateSchema(ma.Schema):
    ticket = fields.String(required=True, metadata={"description": "The other ticket's number"})
    kind = fields.String(load_default="relates_to", validate=validate.OneOf(["relates_to", "duplicates", "blocks"]))


class LinkSchema(ma.Schema):
    kind = fields.String()
    direction = fields.String()
    ticket = fields.Dict()


class LinkListSchema(ma.Schema):
    items = fields.List(fields.Nested(LinkSchema))
    parent = fields.Dict(allow_none=True)
    children = fields.List(fields.Dict())
