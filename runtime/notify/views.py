"""Notification API: your in-app inbox and channel preferences; for admins the outbox (delivery log and
replay), webhook signing secrets and chat endpoints."""

from __future__ import annotations

import urllib.parse
from types import SimpleNamespace

import marshmallow as ma
from marshmallow import fields, validate
from sqlalchemy import select, update

from platform_core.api import CURSOR_MAX_LENGTH, Blueprint, keyset_page, page_schema
from platform_core.auth.current import actor, requires
from platform_core.auth.schemas import TeamRefSchema
from platform_core.auth.services import LOCALES
from platform_core.db import db_session, utcnow
from platform_core.errors import NotFound
from platform_core.fields import Flag, Id, Timestamp
from runtime.notify import endpoints, outbox, preferences
from runtime.notify.channels import redact_url
from runtime.notify.models import Notification, OutboxMessage, WebhookSecret

bp = Blueprint("notifications", __name__, url_prefix="/api/v1",
               description="Notification delivery: preferences, the outbox, webhook secrets and chat endpoints")

KEY = validate.Regexp(r"^[a-z0-9][a-z0-9_-]{0,63}$", error="Use 1-64 lower-case letters, digits, '-' or '_'.")
SECRET_NAME = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$",
                              error="Use 1-200 letters, digits, '.', ':', '-' or '_', starting with a letter or digit.")
def _readable_url(value: str) -> None:
    """The URL splits into its parts, with a host and, if it has one, a valid port: what delivery and display need
    (a stray bracket, say, passes the pattern but not this)."""
    try:
        parts = urllib.parse.urlsplit(value)
        readable = bool(parts.hostname) and (parts.port is None or parts.port > 0)
    except ValueError:  # "Invalid IPv6 URL", a port out of range
        readable = False
    if not readable:
        raise ma.ValidationError("This URL cannot be read: check its host, port and brackets.")


HTTP_URL = [validate.Length(max=2000), validate.Regexp(r"^https?://\S+$", error="Give an http:// or https:// URL."),
            _readable_url]


# --------------------------------------------------------------------------- schemas


class NotificationSchema(ma.Schema):
    id = fields.Integer()
    kind = fields.String()
    message = fields.String()
    ticket_id = fields.Integer(allow_none=True)
    link = fields.String(allow_none=True, metadata={
        "description": "Where a notification not about a ticket leads: a same-site path such as /knowledge/12"})
    created_at = Timestamp()
    read_at = Timestamp(allow_none=True)


class NotificationQuerySchema(ma.Schema):
    unread = fields.Boolean(load_default=False)
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String(load_default=None, validate=validate.Length(max=CURSOR_MAX_LENGTH))


NotificationPage = page_schema(NotificationSchema, "NotificationPage")


class ReadAllSchema(ma.Schema):
    up_to_id = fields.Integer(load_default=None, validate=validate.Range(min=1), metadata={
        "description": "Only notifications up to this id (the newest one shown), so one that arrived since stays unread"})


class ReadAllResultSchema(ma.Schema):
    marked = fields.Integer(metadata={"description": "How many notifications were unread and are read now"})


class PreferencesSchema(ma.Schema):
    in_app = Flag(load_default=True, metadata={"description": "Always true: the inbox cannot be turned off"})
    email = Flag(load_default=True, metadata={"description": "Email at all (when the server sends email)"})
    kinds = fields.Dict(keys=fields.String(), load_default=dict, metadata={
        "description": "Notification kind -> channels, e.g. {\"mentioned\": [\"in_app\"]} stops emails about mentions. "
                       "Kinds not listed use both channels."})


class AttemptSchema(ma.Schema):
    number = fields.Integer()
    started_at = Timestamp()
    duration_ms = fields.Integer()
    outcome = fields.String(metadata={"description": "sent, failed (will retry) or dead"})
    response_code = fields.Integer(allow_none=True, metadata={"description": "HTTP status or SMTP reply code"})
    error = fields.String(allow_none=True)


class OutboxMessageSchema(ma.Schema):
    id = fields.Integer()
    delivery_id = fields.String(metadata={"description": "Sent as X-Gongdan-Delivery; the same on every attempt"})
    channel = fields.String()
    event = fields.String(metadata={"description": "The notification kind, or the webhook's event"})
    status = fields.String(metadata={"description": "pending, sending, sent, failed (will retry) or dead (gave up)"})
    target = fields.Function(lambda m: m.target if m.channel == "email" else redact_url(m.target),
                             metadata={"description": "Email address, or URL with its query values shortened"})
    user_id = fields.Integer(allow_none=True)
    ticket_id = fields.Integer(allow_none=True)
    endpoint_id = fields.Integer(allow_none=True)
    secret_name = fields.String(allow_none=True)
    attempts = fields.Integer()
    max_attempts = fields.Integer()
    next_attempt_at = Timestamp()
    last_error = fields.String(allow_none=True)
    response_code = fields.Integer(allow_none=True)
    created_at = Timestamp()
    updated_at = Timestamp()
    sent_at = Timestamp(allow_none=True)


class OutboxDetailSchema(OutboxMessageSchema):
    payload = fields.Dict(metadata={"description": "Email: subject, text, html; HTTP: the JSON body sent"})
    attempt_log = fields.List(fields.Nested(AttemptSchema))


class OutboxQuerySchema(ma.Schema):
    ticket_id = Id(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(outbox.STATUSES))
    channel = fields.String(load_default=None, validate=validate.OneOf(outbox.CHANNELS))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String(load_default=None, validate=validate.Length(max=CURSOR_MAX_LENGTH))


OutboxPage = page_schema(OutboxMessageSchema, "OutboxPage")


class WebhookSecretSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=SECRET_NAME,
                         metadata={"description": "What a definition's webhook action names as its `secret`"})
    value = fields.String(load_only=True, load_default=None, validate=validate.Length(min=16, max=200),
                          metadata={"description": "Omit to have a strong one generated"})
    created_at = Timestamp(dump_only=True)
    created_by_id = fields.Integer(dump_only=True, allow_none=True)
    last_used_at = Timestamp(dump_only=True, allow_none=True)


class WebhookSecretCreatedSchema(WebhookSecretSchema):
    value = fields.String(metadata={"description": "The secret itself, shown in this response only"})


class WebhookSecretListSchema(ma.Schema):
    items = fields.List(fields.Nested(WebhookSecretSchema))


class ChatEndpointSchema(ma.Schema):
    id = fields.Integer()
    key = fields.String()
    kind = fields.String()
    url = fields.Function(lambda e: redact_url(e.url), metadata={"description": "Query values (bot keys) shortened"})
    has_secret = fields.Function(lambda e: bool(e.secret))
    team_id = fields.Integer(allow_none=True)
    team = fields.Nested(TeamRefSchema, allow_none=True)
    locale = fields.String()
    active = fields.Boolean()
    created_at = Timestamp()
    updated_at = Timestamp()


class ChatEndpointCreateSchema(ma.Schema):
    key = fields.String(required=True, validate=KEY)
    kind = fields.String(required=True, validate=validate.OneOf(outbox.ENDPOINT_KINDS))
    url = fields.String(required=True, validate=HTTP_URL,
                        metadata={"description": "The bot's webhook address (WeCom: …/webhook/send?key=…)"})
    secret = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=200), metadata={
        "description": "DingTalk: the robot's 加签 secret (SEC…); webhook: the HMAC signing key; never shown again"})
    team_id = Id(load_default=None, allow_none=True,
                             metadata={"description": "Only this team's tickets; null: every team"})
    locale = fields.String(load_default="en", validate=validate.OneOf(LOCALES))
    active = Flag(load_default=True)


class ChatEndpointPatchSchema(ma.Schema):
    key = fields.String(validate=KEY)
    url = fields.String(validate=HTTP_URL)
    secret = fields.String(allow_none=True, validate=validate.Length(min=1, max=200))
    team_id = Id(allow_none=True)
    locale = fields.String(validate=validate.OneOf(LOCALES))
    active = Flag()


class ChatEndpointListSchema(ma.Schema):
    items = fields.List(fields.Nested(ChatEndpointSchema))


# --------------------------------------------------------------------------- preferences


@bp.get("/me/notification-preferences")
@requires()
@bp.response(200, PreferencesSchema)
def get_preferences():
    """Your notification channels: in-app always; email unless turned off, globally or per kind."""
    return preferences.preferences(db_session, actor().id)


@bp.put("/me/notification-preferences")
@requires()
@bp.arguments(PreferencesSchema)
@bp.response(200, PreferencesSchema)
def put_preferences(body):
    """Replace your notification channels."""
    return preferences.set_preferences(db_session, actor().id, body)


# --------------------------------------------------------------------------- the outbox


@bp.get("/outbox")
@requires("admin")
@bp.arguments(OutboxQuerySchema, location="query")
@bp.response(200, OutboxPage)
def list_outbox(args):
    """The delivery log: emails, webhooks and chat messages, newest first (admin)."""
    stmt = select(OutboxMessage)
    for name in ("ticket_id", "status", "channel"):
        if args[name] is not None:
            stmt = stmt.where(getattr(OutboxMessage, name) == args[name])
    return keyset_page(db_session, stmt, [OutboxMessage.id], args["limit"], args["cursor"], descending=True)


def _detail(message: OutboxMessage) -> SimpleNamespace:
    columns = {column.key: getattr(message, column.key) for column in OutboxMessage.__table__.columns}
    return SimpleNamespace(**columns, attempt_log=outbox.attempts_of(db_session, message.id))


@bp.get("/outbox/<int:message_id>")
@requires("admin")
@bp.response(200, OutboxDetailSchema)
def get_outbox_message(message_id):
    """One message with what it sends and every attempt (admin)."""
    return _detail(outbox.get_message(db_session, message_id))


@bp.post("/outbox/<int:message_id>/replay")
@requires("admin")
@bp.response(200, OutboxDetailSchema)
def replay_outbox_message(message_id):
    """Send a sent, failed or dead message again as a new attempt (admin); 409 while pending or sending."""
    return _detail(outbox.replay(db_session, message_id, actor_id=actor().id))


# --------------------------------------------------------------------------- webhook secrets


@bp.get("/webhook-secrets")
@requires("admin")
@bp.response(200, WebhookSecretListSchema)
def list_webhook_secrets():
    """Named webhook signing secrets, never their values (admin)."""
    return {"items": endpoints.list_webhook_secrets(db_session)}


@bp.post("/webhook-secrets")
@requires("admin")
@bp.arguments(WebhookSecretSchema)
@bp.response(201, WebhookSecretCreatedSchema)
def create_webhook_secret(body):
    """Add a named signing secret (admin); its value is in this response only."""
    secret, value = endpoints.create_webhook_secret(db_session, body["name"], body["value"], actor_id=actor().id)
    columns = {column.key: getattr(secret, column.key) for column in WebhookSecret.__table__.columns}
    return {**columns, "value": value}


@bp.post("/webhook-secrets/<int:secret_id>/rotate")
@requires("admin")
@bp.response(200, WebhookSecretCreatedSchema)
def rotate_webhook_secret(secret_id):
    """Give a signing secret a new generated value (admin); the value is in this response only. Receivers need
    the new value before the next webhook is signed with it."""
    secret, value = endpoints.rotate_webhook_secret(db_session, secret_id, actor_id=actor().id)
    columns = {column.key: getattr(secret, column.key) for column in WebhookSecret.__table__.columns}
    return {**columns, "value": value}


@bp.delete("/webhook-secrets/<int:secret_id>")
@requires("admin")
@bp.response(204)
def delete_webhook_secret(secret_id):
    """Delete a signing secret (admin); webhooks naming it fail until it is added again."""
    endpoints.delete_webhook_secret(db_session, secret_id, actor_id=actor().id)


# --------------------------------------------------------------------------- chat endpoints


@bp.get("/chat-endpoints")
@requires("admin")
@bp.response(200, ChatEndpointListSchema)
def list_chat_endpoints():
    """WeCom, DingTalk, Slack and plain webhook endpoints that ticket notifications post to (admin)."""
    return {"items": endpoints.list_endpoints(db_session)}


@bp.post("/chat-endpoints")
@requires("admin")
@bp.arguments(ChatEndpointCreateSchema)
@bp.response(201, ChatEndpointSchema)
def create_chat_endpoint(body):
    """Add a chat endpoint for one team or, with no team, for every team (admin)."""
    return endpoints.create_endpoint(db_session, body, actor_id=actor().id)


@bp.get("/chat-endpoints/<int:endpoint_id>")
@requires("admin")
@bp.response(200, ChatEndpointSchema)
def get_chat_endpoint(endpoint_id):
    """One chat endpoint (admin)."""
    return endpoints.get_endpoint(db_session, endpoint_id)


@bp.patch("/chat-endpoints/<int:endpoint_id>")
@requires("admin")
@bp.arguments(ChatEndpointPatchSchema)
@bp.response(200, ChatEndpointSchema)
def update_chat_endpoint(body, endpoint_id):
    """Change a chat endpoint (admin); `secret: null` removes its secret."""
    return endpoints.update_endpoint(db_session, endpoints.get_endpoint(db_session, endpoint_id), body, actor_id=actor().id)


@bp.post("/chat-endpoints/<int:endpoint_id>/test")
@requires("admin")
@bp.response(200, OutboxDetailSchema)
@bp.alt_response(409, description="The endpoint is inactive")
def test_chat_endpoint(endpoint_id):
    """Send a test message to the endpoint now and answer with its delivery: `sent`, or `dead` with the
    response code or the error (admin). It is in the outbox like any message, tried once."""
    endpoint = endpoints.get_endpoint(db_session, endpoint_id)
    return _detail(outbox.send_test(db_session, endpoint, actor_id=actor().id))


@bp.delete("/chat-endpoints/<int:endpoint_id>")
@requires("admin")
@bp.response(204)
def delete_chat_endpoint(endpoint_id):
    """Delete a chat endpoint (admin); its queued messages are not sent."""
    endpoints.delete_endpoint(db_session, endpoints.get_endpoint(db_session, endpoint_id), actor_id=actor().id)


# --------------------------------------------------------------------------- the in-app inbox


@bp.get("/notifications")
@requires()
@bp.arguments(NotificationQuerySchema, location="query")
@bp.response(200, NotificationPage)
def list_notifications(args):
    """Your in-app notifications, newest first."""
    stmt = select(Notification).where(Notification.user_id == actor().id)
    if args["unread"]:
        stmt = stmt.where(Notification.read_at.is_(None))
    return keyset_page(db_session, stmt, [Notification.id], args["limit"], args["cursor"], descending=True)


@bp.post("/notifications/read-all")
@requires()
@bp.arguments(ReadAllSchema, required=False)
@bp.response(200, ReadAllResultSchema)
def mark_all_read(body):
    """Mark all your unread notifications read (up to ``up_to_id`` when given)."""
    stmt = (update(Notification).where(Notification.user_id == actor().id, Notification.read_at.is_(None))
            .values(read_at=utcnow()).execution_options(synchronize_session=False))
    if body.get("up_to_id") is not None:
        stmt = stmt.where(Notification.id <= body["up_to_id"])
    marked = db_session.execute(stmt).rowcount
    db_session.commit()
    return {"marked": marked}


@bp.post("/notifications/<int:notification_id>/read")
@requires()
@bp.response(200, NotificationSchema)
def mark_read(notification_id):
    """Mark one notification read."""
    notification = db_session.get(Notification, notification_id)
    if notification is None or notification.user_id != actor().id:
        raise NotFound(f"Notification {notification_id} does not exist.")
    notification.read_at = notification.read_at or utcnow()
    db_session.commit()
    return notification
