"""Which channels each user wants: in-app always, email unless switched off (globally or per kind)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from platform_core.auth.models import User
from platform_core.errors import ValidationFailed
from runtime.notify.models import (
    NotificationPreference,
)

USER_CHANNELS = ("in_app", "email")


# Kinds the preferences page lists even before a user changed anything.
KNOWN_KINDS = ("assigned", "mentioned", "replied", "watched", "routed", "notice", "sla_warning", "sla_breached",
               "escalated", "approval", "approval_warning", "approval_escalated", "approval_done", "knowledge_review")


KIND_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")


def wants_email(preference: NotificationPreference | None, kind: str) -> bool:
    if preference is None:
        return True
    if not preference.email:
        return False
    chosen = (preference.kinds or {}).get(kind)
    return chosen is None or "email" in chosen


def email_recipient(session: Session, user_id: int, kind: str,
                    channels: list[str] | tuple[str, ...] | None = None) -> User | None:
    """The user, if a notification of this kind should also reach them by email: SMTP is set up,
    they are active with an address, and their preferences (and ``channels``, when given) allow it."""
    return email_recipients(session, [(user_id, kind, channels)])[0]


def email_recipients(session: Session, asked: Sequence[tuple[int, str, Sequence[str] | None]]) -> list[User | None]:
    """``email_recipient`` for each (user id, kind, channels) asked, in order: the users the session does not
    hold read in one query, the preferences of those who may get e-mail in one more."""
    if not current_app.config.get("SMTP_HOST"):
        return [None] * len(asked)
    wanted = [channels is None or "email" in channels for _, _, channels in asked]
    users = _users(session, list(dict.fromkeys(user_id for (user_id, _, _), w in zip(asked, wanted, strict=True) if w)))
    reachable = {user_id for user_id, user in users.items() if user.active and user.email}
    stored = {preference.user_id: preference for preference in session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id.in_(sorted(reachable))))} if reachable else {}
    chosen: list[User | None] = []
    for (user_id, kind, _), w in zip(asked, wanted, strict=True):
        user = users.get(user_id) if w else None
        chosen.append(user if user is not None and user_id in reachable and wants_email(stored.get(user_id), kind)
                      else None)
    return chosen


def _users(session: Session, user_ids: list[int]) -> dict[int, User]:
    """The users by id: those loaded in the session as they are, the others (or expired) in one query."""
    found: dict[int, User] = {}
    for user_id in user_ids:
        user = session.identity_map.get(identity_key(User, user_id))
        if user is not None and {"active", "email", "name", "locale"} <= user.__dict__.keys():
            found[user_id] = user
    missing = [user_id for user_id in user_ids if user_id not in found]
    if missing:
        found.update({user.id: user for user in session.scalars(select(User).where(User.id.in_(missing)))})
    return found


def preferences(session: Session, user_id: int) -> dict[str, Any]:
    """A user's channels: ``{"in_app": true, "email": bool, "kinds": {kind: [channels]}}``."""
    stored = session.get(NotificationPreference, user_id)
    kinds = {kind: list(USER_CHANNELS) for kind in KNOWN_KINDS}
    kinds.update({kind: list(chosen) for kind, chosen in (stored.kinds if stored else {}).items()})
    return {"in_app": True, "email": stored.email if stored else True, "kinds": kinds}


def set_preferences(session: Session, user_id: int, body: dict[str, Any]) -> dict[str, Any]:
    """Replace a user's preferences. In-app is always on; a kind's list says whether it emails."""
    problems = []
    if body.get("in_app") is False:
        problems.append({"path": "/in_app", "location": "json", "message": "In-app notifications are always on."})
    kinds: dict[str, list[str]] = {}
    given = body.get("kinds") or {}
    if len(given) > 100:
        problems.append({"path": "/kinds", "location": "json", "message": "At most 100 kinds."})
    for kind, chosen in given.items():
        path = f"/kinds/{kind}"
        if not KIND_PATTERN.match(kind):
            problems.append({"path": path, "location": "json",
                             "message": "A kind is 1 to 64 lower-case letters, digits, '-' or '_', starting with a letter."})
            continue
        if not isinstance(chosen, list):
            problems.append({"path": path, "location": "json", "message": "Give a list of channels: in_app, email."})
            continue
        for index, name in enumerate(chosen):
            if name not in USER_CHANNELS:
                problems.append({"path": f"{path}/{index}", "location": "json",
                                 "message": f"{name!r} is not a channel you can choose; use in_app or email."})
        kinds[kind] = [name for name in USER_CHANNELS if name == "in_app" or name in chosen]
    if problems:
        raise ValidationFailed(f"{problems[0]['path']}: {problems[0]['message']}", details=problems)
    stored = session.get(NotificationPreference, user_id)
    if stored is None:
        stored = NotificationPreference(user_id=user_id)
        session.add(stored)
    stored.email = body.get("email", True)
    stored.kinds = kinds
    session.commit()
    return preferences(session, user_id)
