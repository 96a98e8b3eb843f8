"""Request and response schemas of the designer API."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from platform_core.api import CURSOR_MAX_LENGTH
from platform_core.auth.schemas import UserRefSchema
from platform_core.fields import Flag, Timestamp
from runtime.rules.i18n import LOCALES

KEY = validate.Regexp(r"^[a-z][a-z0-9_-]{0,63}$",
                      error="Use 1-64 lower-case letters, digits, '-' or '_', starting with a letter.")
PREFIX = validate.Regexp(r"^[A-Z][A-Z0-9]{1,9}$",
                         error="Use 2-10 capital letters or digits, starting with a letter, such as INC.")


class ProblemSchema(ma.Schema):
    path = fields.String()
    message = fields.String()
    code = fields.String()


class DraftSummarySchema(ma.Schema):
    revision = fields.Integer()
    updated_at = Timestamp()
    updated_by = fields.Nested(UserRefSchema, allow_none=True)
    differs_from_published = fields.Boolean(metadata={
        "description": "The draft is not the latest published version (always true before the first publish)"})


class TicketTypeSchema(ma.Schema):
    key = fields.String()
    name = fields.String()
    description = fields.String()
    number_prefix = fields.String()
    latest_version = fields.Integer(allow_none=True)
    archived = fields.Boolean()
    created_at = Timestamp()
    updated_at = Timestamp()
    draft = fields.Nested(DraftSummarySchema, allow_none=True, metadata={
        "description": "Designers and admins: the working draft; null for everyone else"})


class TicketTypeCreateSchema(ma.Schema):
    key = fields.String(required=True, validate=KEY)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(load_default="", validate=validate.Length(max=2000))
    number_prefix = fields.String(required=True, validate=PREFIX)
    definition = fields.Dict(load_default=None, metadata={"description": "A starting definition; default: a minimal one"})


class TicketTypePatchSchema(ma.Schema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    description = fields.String(validate=validate.Length(max=2000))
    archived = Flag()


class TicketTypeQuerySchema(ma.Schema):
    include_archived = fields.Boolean(load_default=False)
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String(load_default=None, validate=validate.Length(max=CURSOR_MAX_LENGTH))


class DraftSchema(ma.Schema):
    definition = fields.Raw()
    revision = fields.Integer()
    updated_at = Timestamp()
    updated_by = fields.Nested(UserRefSchema, allow_none=True)
    errors = fields.List(fields.Nested(ProblemSchema))
    warnings = fields.List(fields.Nested(ProblemSchema))


class PublishSchema(ma.Schema):
    changelog = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class VersionSummarySchema(ma.Schema):
    number = fields.Integer()
    changelog = fields.String()
    published_at = Timestamp()
    published_by = fields.Nested(UserRefSchema, allow_none=True)


class VersionSchema(VersionSummarySchema):
    definition = fields.Dict()


class VersionListSchema(ma.Schema):
    items = fields.List(fields.Nested(VersionSummarySchema))


class DiffQuerySchema(ma.Schema):
    from_ = fields.String(data_key="from", load_default=None,
                          validate=validate.Regexp(r"^(draft|[1-9][0-9]{0,8})$", error="A version number or 'draft'."),
                          metadata={"description": "A version number or 'draft'; default: the latest version"})
    to = fields.String(load_default="draft", validate=validate.Regexp(r"^(draft|[1-9][0-9]{0,8})$",
                                                                       error="A version number or 'draft'."))


class DiffSchema(ma.Schema):
    from_ = fields.Raw(data_key="from", attribute="from")
    to = fields.Raw()
    breaking = fields.Boolean()
    changes = fields.List(fields.Dict())


class ExportQuerySchema(ma.Schema):
    version = fields.String(load_default=None, validate=validate.Regexp(r"^(draft|[1-9][0-9]{0,8})$",
                                                                         error="A version number or 'draft'."))


class ImportQuerySchema(ma.Schema):
    publish = fields.Boolean(load_default=True, metadata={"description": "Publish the imported definition as version 1"})


class EvaluateSchema(ma.Schema):
    rule = fields.Raw(required=True, allow_none=True)
    data = fields.Raw(load_default=None, allow_none=True)
    now = Timestamp(load_default=None, metadata={"description": "The instant 'now' stands for (default: now)"})


class EvaluateResultSchema(ma.Schema):
    result = fields.Raw(allow_none=True)


class WalkStepSchema(ma.Schema):
    transition = fields.String(required=True, validate=validate.Length(min=1, max=64),
                               metadata={"description": "The transition's key"})
    fields_ = fields.Dict(data_key="fields", attribute="fields", load_default=dict,
                          metadata={"description": "What it asks for: field name -> value"})
    comment = fields.String(load_default=None, validate=validate.Length(max=20000))
    checklist = fields.List(fields.String(validate=validate.Length(max=500)), load_default=list,
                            validate=validate.Length(max=50), metadata={"description": "The checklist items ticked"})


class SimulateSchema(ma.Schema):
    data = fields.Dict(load_default=None, metadata={"description": "Form data to try"})
    replay = fields.Integer(load_default=None, validate=validate.Range(min=1, max=1000),
                            metadata={"description": "Instead of data: replay the last N real tickets of the type"})
    ticket = fields.Dict(load_default=dict, metadata={"description": "ticket.* values to assume, e.g. requester tags"})
    source = fields.String(load_default="draft", validate=validate.Regexp(r"^(draft|[1-9][0-9]{0,8})$",
                                                                           error="A version number or 'draft'."))
    locale = fields.String(load_default=None, validate=validate.OneOf(LOCALES),
                           metadata={"description": "The language of the errors (the form previewed in it). "
                                                    "Default: yours"})
    walk = fields.List(fields.Nested(WalkStepSchema), load_default=None, validate=validate.Length(max=100),
                       metadata={"description": "With data: walk the ticket along the status graph, taking these "
                                                "transitions in order (an empty list: just the initial state); "
                                                "nothing is written"})
    acting_as = fields.List(fields.String(validate=validate.Length(min=1, max=40)), load_default=None,
                            validate=validate.Length(max=20),
                            metadata={"description": "With walk: the roles the walker holds (default: agent)"})

    @ma.validates_schema
    def _one_of(self, data, **_kwargs):
        if (data.get("data") is None) == (data.get("replay") is None):
            raise ma.ValidationError("Give either data (form data to try) or replay (a number of past tickets).", "data")
        if data.get("replay") is not None and data.get("walk") is not None:
            raise ma.ValidationError("A walk starts from form data, not from a replay.", "walk")


class SimulationSchema(ma.Schema):
    class Meta:
        unknown = ma.INCLUDE

    source = fields.Raw()
    valid = fields.Boolean()
    errors = fields.List(fields.Dict())
    fields_ = fields.Dict(data_key="fields", attribute="fields")
    priority = fields.Dict()
    routing = fields.Dict()
    sla = fields.Dict()
    replayed = fields.Integer(metadata={"description": "With replay: how many tickets were replayed"})
    left_out = fields.Integer(metadata={"description": "With replay: how many of the last N tickets were not "
                                                       "replayed because you may not see them"})
    against = fields.Integer(metadata={"description": "With replay: the published version compared with"})
    differences = fields.List(fields.Dict(), metadata={"description": "With replay: tickets that would be handled differently"})
    walk = fields.Dict(metadata={"description": "With walk: `steps` (the initial state, then one per transition "
                                                "taken: state, data, every transition out of it, allowed or why not) "
                                                "and `refused` (the step the runtime would refuse, with its reasons)"})
