"""Signed status links: a requester follows their ticket without signing in (the pattern of
runtime.automations.survey_links and runtime.approvals.links).

A link carries only the ticket's id, signed with the secret key and timestamped (itsdangerous, its own salt, so
a survey or approval token is not a status token). It shows the ticket's public view and changes nothing, so it
needs no single use; it expires ``MAX_AGE`` after it was signed. A link that is not ours, was tampered with or
cut, or has expired answers 410 and shows nothing.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from platform_core.errors import ApiError

MAX_AGE = timedelta(days=90)
SALT = "gongdan.status-link"


class StatusLinkInvalid(ApiError):
    """A status link that is not ours, was tampered with or cut, or has expired: 410, nothing is shown."""

    status, code = 410, "link_invalid"

    def __init__(self, message: str) -> None:
        super().__init__(message, details=[{"path": "/token", "location": "query", "message": message}])


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def url_for_link(ticket_id: int) -> str:
    """The status page's link for one ticket (no sign-in; valid for ``MAX_AGE``)."""
    token = _serializer().dumps({"t": ticket_id})
    return f"{current_app.config['BASE_URL'].rstrip('/')}/status?token={quote(token)}"


def read(token: str) -> int | str:
    """The ticket id the link is for; else why not: "expired" or "invalid" (not ours, tampered with, cut)."""
    try:
        payload = _serializer().loads(token, max_age=int(MAX_AGE.total_seconds()))
    except SignatureExpired:
        return "expired"
    except (BadSignature, UnicodeError):
        return "invalid"
    ticket_id = payload.get("t") if isinstance(payload, dict) else None
    if not isinstance(ticket_id, int) or isinstance(ticket_id, bool):
        return "invalid"
    return ticket_id
