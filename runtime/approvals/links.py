"""Signed one-click links to approve or reject, for e-mail and chat.

A link carries the approval's id, the decision, and (for an e-mail) the person it was sent to and the approver
they decide for, signed with the secret key (itsdangerous, as the password links of platform_core.auth.links)
and timestamped. It needs no sign-in: it is as personal as the mailbox it went to. A link posted to a chat
channel names nobody, so whoever opens it signs in and decides as themselves. Single use needs no table: an
approver decides once (the second POST answers 409), and a decided approval takes no more decisions.
The confirmation page GETs what the link is for; only a POST decides, so a mail scanner that follows links
decides nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from platform_core.db import utcnow
from platform_core.errors import ApiError
from runtime.rules import texts

DECISIONS = ("approve", "reject")
LIFETIME = timedelta(days=14)  # and never beyond the approval: a decided one takes no decision


class ApprovalLinkInvalid(ApiError):
    """A link that was tampered with, cut, or has expired: 410, and the page says to open the ticket instead."""

    status, code = 410, "link_invalid"

    def __init__(self, message: str) -> None:
        super().__init__(message, details=[{"path": "/token", "location": "json", "message": message}])


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="gongdan.approval-link")


def url_for_link(approval_id: int, decision: str | None, *, user_id: int | None, for_id: int | None) -> str:
    """The link: ``user_id`` is who it was sent to (None: a channel, sign-in needed), ``for_id`` the approver they
    decide for (themselves, or the person who delegated to them); ``decision`` None opens the page with both."""
    token = _serializer().dumps({"a": approval_id, "d": decision, "u": user_id, "f": for_id})
    return f"{current_app.config['BASE_URL'].rstrip('/')}/approval-link?token={quote(token)}"


def read(token: str, locale: str | None) -> dict[str, Any]:
    """The link's claims {a, d, u, f, expires_at}; 410 when it is not ours, tampered with, or expired."""
    try:
        payload, signed_at = _serializer().loads(token, max_age=None, return_timestamp=True)
    except (BadSignature, UnicodeError) as error:
        raise ApprovalLinkInvalid(texts.say("approval.link_invalid", locale)) from error
    if (not isinstance(payload, dict) or not isinstance(payload.get("a"), int)
            or payload.get("d") not in (*DECISIONS, None)
            or not all(isinstance(payload.get(k), int | None) for k in ("u", "f"))):
        raise ApprovalLinkInvalid(texts.say("approval.link_invalid", locale))
    expires_at: datetime = signed_at + LIFETIME
    if utcnow() >= expires_at:
        raise ApprovalLinkInvalid(texts.say("approval.link_expired", locale))
    return {**payload, "expires_at": expires_at}
