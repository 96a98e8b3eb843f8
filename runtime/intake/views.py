"""Intake API: ``POST /api/v1/intake/<key>`` for the calling system (authenticated by the endpoint's own token or
HMAC signature, not by a user); for admins the endpoints and the intake log; for admins and designers the mapping
test."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import current_app, request
from marshmallow import fields, validate
from sqlalchemy import select

from platform_core.api import CURSOR_MAX_LENGTH, Blueprint, keyset_page, page_schema
from platform_core.auth.current import actor, client_address, requires
from platform_core.db import db_session
from platform_core.fields import Flag, Id, Timestamp
from runtime.intake import services
from runtime.intake.models import AUTH_MODES, ON_DUPLICATE, OUTCOMES, IntakeCall, IntakeEndpoint
from runtime.rules.i18n import negotiate, reader_locale

bp = Blueprint("intake", __name__, url_prefix="/api/v1",
               description="Machine-fed intake: inbound endpoints that turn another system's JSON into tickets")

KEY = validate.Regexp(r"^[a-z0-9][a-z0-9_-]{0,63}$", error="Use 1-64 lower-case letters, digits, '-' or '_'.")
EXPRESSION = {"description": "A JsonLogic expression over the payload, e.g. {\"var\": \"machine.id\"}; null for none"}


class JsonLogic(fields.Raw):
    """A JsonLogic expression (any JSON value); compiled and checked by the service."""


class EndpointSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    key = fields.String(required=True, validate=KEY, metadata={"description": "The address: /api/v1/intake/<key>"})
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    ticket_type = fields.Function(lambda e: e.ticket_type.key, deserialize=str, required=True,
                                  metadata={"description": "The key of the ticket type the calls create"})
    requester = fields.Function(lambda e: e.requester.email, deserialize=str, metadata={
        "description": "The e-mail of the active user the tickets are filed as (default: you)"})
    auth_mode = fields.String(required=True, validate=validate.OneOf(AUTH_MODES), metadata={
        "description": "token: 'Authorization: Bearer <token>'; hmac: X-Gongdan-Timestamp and X-Gongdan-Signature "
                       "(sha256= HMAC of '<timestamp>.<body>')"})
    secret_prefix = fields.String(dump_only=True, metadata={"description": "The start of the secret, to tell it apart"})
    mapping = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=200)), values=JsonLogic(),
                          load_default=dict, validate=validate.Length(max=200),
                          metadata={"description": "Form field -> JsonLogic over the payload"})
    dedup_key = JsonLogic(load_default=None, allow_none=True, metadata={
        **EXPRESSION, "description": "The alarm's identity (e.g. machine + code): a repeat while its ticket is open "
                                     "counts on that ticket instead of creating one. " + EXPRESSION["description"]})
    on_duplicate = fields.String(load_default="count", validate=validate.OneOf(ON_DUPLICATE), metadata={
        "description": "count: the repeat counts on the ticket and its history says so; comment: also an internal "
                       "comment, which notifies the ticket's people like any comment"})
    source_key = JsonLogic(load_default=None, allow_none=True, metadata={
        "description": "The caller's own id of the event: the same again answers with the same ticket and changes "
                       "nothing. " + EXPRESSION["description"]})
    rate_per_minute = fields.Integer(load_default=600, validate=validate.Range(min=1, max=100_000), metadata={
        "description": "Calls per minute from one client address before 429"})
    active = Flag(load_default=True)
    created_at = Timestamp(dump_only=True)
    updated_at = Timestamp(dump_only=True)


class EndpointUpdateSchema(EndpointSchema):
    class Meta:
        exclude = ("auth_mode",)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(partial=True, **kwargs)


class EndpointCreatedSchema(EndpointSchema):
    secret = fields.String(metadata={"description": "The token or HMAC secret, shown this once"})


class SecretSchema(ma.Schema):
    secret = fields.String(metadata={"description": "The new token or HMAC secret, shown this once"})


class EndpointQuerySchema(ma.Schema):
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=200))
    cursor = fields.String(load_default=None, validate=validate.Length(max=CURSOR_MAX_LENGTH))


EndpointPage = page_schema(EndpointSchema, "IntakeEndpointPage")


class TicketRefSchema(ma.Schema):
    id = fields.Integer()
    number = fields.String()
    status = fields.String()


class MappingTestSchema(ma.Schema):
    ticket_type = fields.String(required=True, validate=validate.Length(min=1, max=64))
    mapping = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=200)), values=JsonLogic(),
                          load_default=dict, validate=validate.Length(max=200))
    dedup_key = JsonLogic(load_default=None, allow_none=True)
    source_key = JsonLogic(load_default=None, allow_none=True)
    requester = fields.String(load_default=None, validate=validate.Length(max=320))
    endpoint_id = Id(load_default=None, metadata={
        "description": "An existing endpoint: the answer also says what a call would do now (create, deduplicate "
                       "onto an open ticket, or replay an earlier call's answer)"})
    payload = fields.Raw(required=True, metadata={"description": "A sample payload, as the calling system sends it"})


class MappingResultSchema(ma.Schema):
    data = fields.Dict(metadata={"description": "The form data the payload maps to (as validated)"})
    valid = fields.Boolean()
    errors = fields.List(fields.Dict(), metadata={"description": "Each with the payload's JSON pointer where the "
                                                                 "mapping reads one value, else /data/<field>"})
    source_key = fields.String(allow_none=True)
    dedup_key = fields.String(allow_none=True)
    would = fields.String(allow_none=True, metadata={"description": "create, deduplicate or replay"})
    ticket = fields.Nested(TicketRefSchema, allow_none=True)


class ReceiptSchema(ma.Schema):
    outcome = fields.String(metadata={"description": "created, deduplicated or replayed"})
    ticket = fields.Nested(TicketRefSchema, allow_none=True)
    occurrences = fields.Integer(allow_none=True, metadata={"description": "How often this alarm came while its "
                                                                           "ticket is open"})
    call_id = fields.Integer(metadata={"description": "The call's line in the intake log"})


class CallSchema(ma.Schema):
    id = fields.Integer()
    endpoint_id = fields.Integer()
    at = Timestamp()
    outcome = fields.String(metadata={"description": "created, deduplicated, replayed or rejected"})
    status_code = fields.Integer()
    ticket_id = fields.Integer(allow_none=True)
    source_key = fields.String(allow_none=True)
    dedup_key = fields.String(allow_none=True)
    occurrences = fields.Integer(allow_none=True)
    error = fields.String(allow_none=True)
    details = fields.List(fields.Dict(), allow_none=True)
    client_address = fields.String()
    duration_ms = fields.Integer()


class CallQuerySchema(ma.Schema):
    endpoint_id = Id(load_default=None)
    outcome = fields.String(load_default=None, validate=validate.OneOf(OUTCOMES))
    ticket_id = Id(load_default=None)
    since = Timestamp(load_default=None)
    until = Timestamp(load_default=None)
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String(load_default=None, validate=validate.Length(max=CURSOR_MAX_LENGTH))


CallPage = page_schema(CallSchema, "IntakeCallPage")


def _locale() -> str:
    return reader_locale(actor().locale, request.headers.get("Accept-Language"))


# --------------------------------------------------------------------------- admin


@bp.get("/intake-endpoints")
@requires("admin")
@bp.arguments(EndpointQuerySchema, location="query")
@bp.response(200, EndpointPage)
def list_endpoints(query: dict[str, Any]):
    """The intake endpoints, by key."""
    return keyset_page(db_session, select(IntakeEndpoint), [IntakeEndpoint.key], query["limit"], query["cursor"])


@bp.post("/intake-endpoints")
@requires("admin")
@bp.arguments(EndpointSchema)
@bp.response(201, EndpointCreatedSchema)
def create_endpoint(body: dict[str, Any]):
    """Create an endpoint; its secret (token or HMAC key) is in this answer only."""
    endpoint, secret = services.create_endpoint(db_session, body, actor=actor(), locale=_locale())
    endpoint.secret = secret  # type: ignore[attr-defined]
    return endpoint


@bp.get("/intake-endpoints/<int:endpoint_id>")
@requires("admin")
@bp.response(200, EndpointSchema)
def get_endpoint(endpoint_id: int):
    return services.get_endpoint(db_session, endpoint_id)


@bp.patch("/intake-endpoints/<int:endpoint_id>")
@requires("admin")
@bp.arguments(EndpointUpdateSchema)
@bp.response(200, EndpointSchema)
def update_endpoint(body: dict[str, Any], endpoint_id: int):
    """Change an endpoint (``active: false`` disables it: calls get 404, logged)."""
    endpoint = services.get_endpoint(db_session, endpoint_id)
    return services.update_endpoint(db_session, endpoint, body, actor=actor(), locale=_locale())


@bp.post("/intake-endpoints/<int:endpoint_id>/secret")
@requires("admin")
@bp.response(200, SecretSchema)
def replace_secret(endpoint_id: int):
    """A new secret for the endpoint; the old one stops working at once."""
    endpoint = services.get_endpoint(db_session, endpoint_id)
    return {"secret": services.replace_secret(db_session, endpoint, actor=actor())}


@bp.post("/intake-mapping-test")
@requires("admin", "designer")
@bp.arguments(MappingTestSchema)
@bp.response(200, MappingResultSchema)
def test_mapping(body: dict[str, Any]):
    """What a sample payload would become under a mapping, and the form's verdict; writes nothing."""
    return services.test_mapping(db_session, body, locale=_locale())


@bp.get("/intake-calls")
@requires("admin")
@bp.arguments(CallQuerySchema, location="query")
@bp.response(200, CallPage)
def list_calls(query: dict[str, Any]):
    """The intake log, newest first, filtered by endpoint, outcome, ticket and time."""
    stmt = select(IntakeCall)
    for name in ("endpoint_id", "outcome", "ticket_id"):
        if query[name] is not None:
            stmt = stmt.where(getattr(IntakeCall, name) == query[name])
    if query["since"] is not None:
        stmt = stmt.where(IntakeCall.at >= query["since"])
    if query["until"] is not None:
        stmt = stmt.where(IntakeCall.at < query["until"])
    return keyset_page(db_session, stmt, [IntakeCall.id], query["limit"], query["cursor"], descending=True)


# --------------------------------------------------------------------------- the calling system


@bp.post("/intake/<string(maxlength=64):key>")
@bp.response(201, ReceiptSchema)
@bp.alt_response(200, schema=ReceiptSchema, description="A repeat counted on the open ticket, or a replay")
def receive(key: str):
    """Send a payload (JSON object) to an endpoint: it becomes a ticket, or counts as a repeat on the open ticket
    of the same alarm, or — with a source key seen before — answers as that call did. 4xx names what is wrong and
    writes nothing but the call's line in the intake log."""
    locale = negotiate(request.headers.get("Accept-Language"))
    length = request.content_length
    too_large = length is not None and length > current_app.config["INTAKE_MAX_BYTES"]
    body = None if too_large else request.get_data(cache=False)  # a body over the limit is not even read
    receipt = services.receive(db_session, key, body, length or 0, request.headers, client_address(), locale)
    return {"outcome": receipt.outcome, "ticket": receipt.ticket, "occurrences": receipt.occurrences,
            "call_id": receipt.call_id}, receipt.status
