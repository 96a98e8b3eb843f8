"""What admins configure for outbound messages: webhook signing secrets and chat endpoints (WeCom,
DingTalk, Slack bots and plain signed webhooks)."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from platform_core import audit
from platform_core.auth.models import Team
from platform_core.errors import Conflict, NotFound, ValidationFailed
from runtime.notify.channels import (
    redact_url,
)
from runtime.notify.models import (
    ChatEndpoint,
    WebhookSecret,
)


def list_webhook_secrets(session: Session) -> list[WebhookSecret]:
    return list(session.scalars(select(WebhookSecret).order_by(WebhookSecret.name)))


def create_webhook_secret(session: Session, name: str, value: str | None, *, actor_id: int) -> tuple[WebhookSecret, str]:
    """Store a named signing secret (generated unless given); the value is returned this once."""
    if session.scalar(select(WebhookSecret.id).where(WebhookSecret.name == name)) is not None:
        raise Conflict(f"A webhook secret named {name!r} already exists; delete it first to replace it.",
                       details=[{"path": "/name", "location": "json", "message": "Already exists."}])
    value = value or "whsec_" + secrets.token_urlsafe(32)
    secret = WebhookSecret(name=name, value=value, created_by_id=actor_id)
    session.add(secret)
    session.flush()
    audit.record(session, "webhook_secret.created", "webhook_secret", secret.id, actor_id=actor_id, details={"name": name})
    session.commit()
    return secret, value


def rotate_webhook_secret(session: Session, secret_id: int, *, actor_id: int) -> tuple[WebhookSecret, str]:
    """Replace a secret's value with a new generated one, in place (webhooks naming it sign with the new value from
    their next attempt); the value is returned this once."""
    secret = session.get(WebhookSecret, secret_id)
    if secret is None:
        raise NotFound(f"Webhook secret {secret_id} does not exist.")
    value = "whsec_" + secrets.token_urlsafe(32)
    secret.value = value
    audit.record(session, "webhook_secret.rotated", "webhook_secret", secret.id, actor_id=actor_id,
                 details={"name": secret.name})
    session.commit()
    return secret, value


def delete_webhook_secret(session: Session, secret_id: int, *, actor_id: int) -> None:
    secret = session.get(WebhookSecret, secret_id)
    if secret is None:
        raise NotFound(f"Webhook secret {secret_id} does not exist.")
    audit.record(session, "webhook_secret.deleted", "webhook_secret", secret.id, actor_id=actor_id,
                 details={"name": secret.name})
    session.delete(secret)
    session.commit()


def list_endpoints(session: Session) -> list[ChatEndpoint]:
    return list(session.scalars(select(ChatEndpoint).order_by(ChatEndpoint.key)))


def get_endpoint(session: Session, endpoint_id: int) -> ChatEndpoint:
    endpoint = session.get(ChatEndpoint, endpoint_id)
    if endpoint is None:
        raise NotFound(f"Chat endpoint {endpoint_id} does not exist.")
    return endpoint


def _check_endpoint(session: Session, values: dict[str, Any], endpoint_id: int | None = None) -> None:
    if values.get("team_id") is not None and session.get(Team, values["team_id"]) is None:
        raise ValidationFailed.field("/team_id", f"Team {values['team_id']} does not exist.")
    if "key" in values:
        taken = session.scalar(select(ChatEndpoint.id).where(ChatEndpoint.key == values["key"]))
        if taken is not None and taken != endpoint_id:
            raise Conflict(f"A chat endpoint with the key {values['key']!r} already exists.",
                           details=[{"path": "/key", "location": "json", "message": "Already exists."}])


def _endpoint_audit(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (redact_url(v) if k == "url" else v) for k, v in values.items() if k != "secret"} | (
        {"secret": "changed"} if "secret" in values else {})


def create_endpoint(session: Session, values: dict[str, Any], *, actor_id: int) -> ChatEndpoint:
    _check_endpoint(session, values)
    endpoint = ChatEndpoint(**values)
    session.add(endpoint)
    session.flush()
    audit.record(session, "chat_endpoint.created", "chat_endpoint", endpoint.id, actor_id=actor_id,
                 details=_endpoint_audit(values))
    session.commit()
    return endpoint


def update_endpoint(session: Session, endpoint: ChatEndpoint, values: dict[str, Any], *, actor_id: int) -> ChatEndpoint:
    _check_endpoint(session, values, endpoint.id)
    for name, value in values.items():
        setattr(endpoint, name, value)
    audit.record(session, "chat_endpoint.updated", "chat_endpoint", endpoint.id, actor_id=actor_id,
                 details=_endpoint_audit(values))
    session.commit()
    return endpoint


def delete_endpoint(session: Session, endpoint: ChatEndpoint, *, actor_id: int) -> None:
    audit.record(session, "chat_endpoint.deleted", "chat_endpoint", endpoint.id, actor_id=actor_id,
                 details={"key": endpoint.key})
    session.delete(endpoint)
    session.commit()
