"""Signed survey links for e-mail, the inbox and chat (the pattern of runtime.approvals.links).

A link carries the survey's id and the person it was sent to (the requester; None for a chat message, which
names nobody, so whoever opens it signs in and must be the requester), signed with the secret key and
timestamped (itsdangerous). An e-mail's link needs no sign-in: it is as personal as the mailbox it went to.
Single use needs no table: a survey is answered once (the row's ``answered_at``), and a second answer changes
nothing. It expires with the survey (``expires_at``, from the definition's ``expires``) and never later than
``MAX_AGE`` after it was signed. Opening the page (GET) answers nothing; only the POST does.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import quote

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from platform_core.errors import ApiError

MAX_AGE = timedelta(days=90)


class SurveyLinkInvalid(ApiError):
    """A link that is not ours, was tampered with or cut, or has expired: 410, nothing changes."""

    status, code = 410, "link_invalid"

    def __init__(self, message: str) -> None:
        super().__init__(message, details=[{"path": "/token", "location": "json", "message": message}])


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="gongdan.survey-link")


def url_for_link(survey_id: int, *, user_id: int | None) -> str:
    """The survey page's link: ``user_id`` is the requester it was sent to (None: a chat message, sign-in needed)."""
    token = _serializer().dumps({"s": survey_id, "u": user_id})
    return f"{current_app.config['BASE_URL'].rstrip('/')}/survey?token={quote(token)}"


def read(token: str) -> dict[str, Any] | str:
    """The link's claims {s, u}; else why not: "expired" (older than ``MAX_AGE``) or "invalid" (not ours,
    tampered with, cut)."""
    try:
        payload = _serializer().loads(token, max_age=int(MAX_AGE.total_seconds()))
    except SignatureExpired:
        return "expired"
    except (BadSignature, UnicodeError):
        return "invalid"
    if (not isinstance(payload, dict) or not isinstance(payload.get("s"), int) or isinstance(payload.get("s"), bool)
            or not isinstance(payload.get("u"), int | None)):
        return "invalid"
    return payload
