"""Invitations and password resets: signed, single-use, expiring links to set a password.

A link carries the user's id, its purpose and a fingerprint of the user's current password hash, signed with
the secret key (itsdangerous) and timestamped. Setting a password changes the hash, so every link issued before
is spent at once: single use without a table of tokens. An invitation lasts ``INVITE_LINK_HOURS``, a reset
``RESET_LINK_MINUTES``.

The link goes by e-mail when a receiver of ``email_link`` (the notify capability) queues one; without SMTP
nothing does, and an admin who asked for it is shown the link to hand over. Asking for a reset answers the same
whether or not the address has an account, and is throttled per address and per client like logins.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from platform_core import audit
from platform_core.auth.models import AuthSession, PasswordResetRequest, User
from platform_core.auth.passwords import hash_password, password_problem
from platform_core.auth.throttle import wait_for_limit
from platform_core.db import utcnow
from platform_core.errors import ApiError, RateLimited, ValidationFailed
from platform_core.hooks import Hook

PURPOSES = ("invite", "reset")

email_link = Hook(
    "auth.email_link",
    "(session, user, purpose, url, expires_at) -> bool: send the user a link to set their password ('invite' or "
    "'reset'), in their language; True if it was queued for e-mail. Without a receiver that does, the admin who "
    "asked is shown the link.")


class LinkInvalid(ApiError):
    """A link that is unknown, spent (the password was set with it or since) or expired."""

    status, code = 410, "link_invalid"

    def __init__(self, message: str) -> None:
        super().__init__(message, details=[{"path": "/token", "location": "json", "message": message}])


@dataclass
class IssuedLink:
    user: User
    purpose: str
    url: str
    expires_at: datetime
    emailed: bool


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="gongdan.password-link")


def _fingerprint(user: User) -> str:
    """Changes whenever the password does (a new salt each time), so a used link is spent."""
    return hashlib.sha256(f"{user.id}:{user.password_hash or ''}".encode()).hexdigest()[:24]


def _lifetime(purpose: str) -> timedelta:
    config = current_app.config
    return (timedelta(hours=config["INVITE_LINK_HOURS"]) if purpose == "invite"
            else timedelta(minutes=config["RESET_LINK_MINUTES"]))


def issue(session: Session, user: User, purpose: str, *, actor_id: int | None) -> IssuedLink:
    """A new link for `user` to set their password; e-mailed if e-mail is set up (the caller commits)."""
    token = _serializer().dumps({"u": user.id, "p": purpose, "f": _fingerprint(user)})
    url = f"{current_app.config['BASE_URL'].rstrip('/')}/set-password?token={quote(token)}"
    expires_at = utcnow() + _lifetime(purpose)
    emailed = any(email_link.send(session, user, purpose, url, expires_at))
    audit.record(session, f"user.{purpose}_link", "user", user.id, actor_id=actor_id, details={"emailed": emailed})
    return IssuedLink(user=user, purpose=purpose, url=url, expires_at=expires_at, emailed=emailed)


def send_link(session: Session, user: User, *, actor: User) -> IssuedLink:
    """An admin sends a user a link: an invitation if they never had a password, else a reset."""
    if not user.active:
        raise ValidationFailed.field("/user_id", f"{user.email} is deactivated; activate the account first.")
    link = issue(session, user, "invite" if user.password_hash is None else "reset", actor_id=actor.id)
    session.commit()
    return link


def request_reset(session: Session, email: str, *, client_address: str) -> None:
    """Someone asks for a reset link. The answer is the same whether the address has an account or not; asking
    too often (per address, per client) is refused with 429 for everyone alike."""
    config = current_app.config
    email = email.strip().lower()
    now = utcnow()
    window = timedelta(seconds=config["RESET_WINDOW_SECONDS"])
    for column, value, limit in ((PasswordResetRequest.email, email, config["RESET_MAX_PER_ACCOUNT"]),
                                 (PasswordResetRequest.client_address, client_address, config["RESET_MAX_PER_ADDRESS"])):
        wait = wait_for_limit(session, [column == value], limit, window, at=PasswordResetRequest.at)
        if wait is not None:
            raise RateLimited(f"Too many reset requests. Try again in {wait} seconds.",
                              headers={"Retry-After": str(wait)})
    session.add(PasswordResetRequest(email=email, client_address=client_address, at=now))
    user = session.scalar(select(User).where(User.email == email))
    if user is not None and user.active:
        issue(session, user, "reset", actor_id=None)
    session.commit()


def _read(session: Session, token: str) -> tuple[User, str, datetime]:
    serializer = _serializer()
    try:
        payload, signed_at = serializer.loads(token, max_age=None, return_timestamp=True)
    except BadSignature as error:
        raise LinkInvalid("This link is not valid. Ask for a new one.") from error
    if not isinstance(payload, dict) or payload.get("p") not in PURPOSES:
        raise LinkInvalid("This link is not valid. Ask for a new one.")
    purpose = payload["p"]
    expires_at = signed_at + _lifetime(purpose)
    user = session.get(User, payload.get("u")) if isinstance(payload.get("u"), int) else None
    if user is None or not user.active or payload.get("f") != _fingerprint(user):
        raise LinkInvalid("This link was used already or replaced by a newer one. Ask for a new one.")
    if utcnow() >= expires_at:
        raise LinkInvalid("This link has expired. Ask for a new one.")
    return user, purpose, expires_at


def check(session: Session, token: str) -> dict[str, Any]:
    """What a valid link is for: {purpose, email, name, expires_at}; 410 for an invalid, spent or expired one."""
    user, purpose, expires_at = _read(session, token)
    return {"purpose": purpose, "email": user.email, "name": user.name, "expires_at": expires_at}


def set_password(session: Session, token: str, password: str) -> User:
    """Set the password a link is for: the link (and every other issued before) is spent, sessions end."""
    user, purpose, _ = _read(session, token)
    problem = password_problem(password)
    if problem:
        raise ValidationFailed.field("/password", problem)
    user.password_hash = hash_password(password)
    session.execute(delete(AuthSession).where(AuthSession.user_id == user.id))
    audit.record(session, "user.password_set_by_link", "user", user.id, actor_id=user.id, details={"purpose": purpose})
    session.commit()
    return user
