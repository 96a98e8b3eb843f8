"""Password-guessing limits that an attacker cannot turn against the account's owner.

Every wrong password (at login, and the current password of a password change) is a LoginFailure row
(account, client address, time), shared by every server process. Within LOGIN_WINDOW_SECONDS:

1. one account from one address: after LOGIN_MAX_FAILURES_PER_ACCOUNT failures that pair waits (429 with
   Retry-After), even with the right password. Someone guessing a colleague's password from their own
   machine locks only themselves out: the owner, from anywhere else, logs in as usual;
2. one address: after LOGIN_MAX_FAILURES_PER_ADDRESS failures, whatever the accounts, it waits;
3. one account from everywhere (a guess spread over many addresses): after LOGIN_ACCOUNT_SLOWDOWN_AFTER
   failures the account is slowed, not locked: an attempt within LOGIN_ACCOUNT_SLOWDOWN_SECONDS of the
   account's last failure waits for the rest of that interval. Guessing then costs at least that interval
   per try, while the owner, trying again after the Retry-After, gets in.

A successful login forgets the failures of its pair.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from platform_core.auth.models import LoginFailure
from platform_core.db import utcnow
from platform_core.errors import RateLimited


def wait_for_limit(session: Session, where: list[Any], limit: int, window: timedelta,
                   at: Any = LoginFailure.at) -> int | None:
    """Seconds until the rows matching `where` (timed by the column `at`: login failures by default, or any
    table of attempts) drop below `limit` in the window, or None if below now."""
    # The limit-th newest row, if there is one: it leaves the window first. One value read, not `limit` of them.
    oldest = session.scalar(select(at).where(*where, at > utcnow() - window).order_by(at.desc())
                            .offset(limit - 1).limit(1))
    if oldest is None:
        return None
    return max(1, int((oldest + window - utcnow()).total_seconds()) + 1)


def _wait_for_slowdown(session: Session, email: str, window: timedelta) -> int | None:
    config = current_app.config
    since = utcnow() - window
    count, last = session.execute(select(func.count(), func.max(LoginFailure.at))
                                  .where(LoginFailure.email == email, LoginFailure.at > since)).one()
    if count < config["LOGIN_ACCOUNT_SLOWDOWN_AFTER"] or last is None:
        return None
    remaining = (last + timedelta(seconds=config["LOGIN_ACCOUNT_SLOWDOWN_SECONDS"]) - utcnow()).total_seconds()
    return math.ceil(remaining) if remaining > 0 else None


def check(session: Session, email: str, client_address: str, what: str = "failed logins") -> None:
    """Raise RateLimited (429 with Retry-After) when this account, from this address, must wait."""
    config = current_app.config
    window = timedelta(seconds=config["LOGIN_WINDOW_SECONDS"])
    waits = (
        wait_for_limit(session, [LoginFailure.email == email, LoginFailure.client_address == client_address],
                        config["LOGIN_MAX_FAILURES_PER_ACCOUNT"], window),
        wait_for_limit(session, [LoginFailure.client_address == client_address],
                        config["LOGIN_MAX_FAILURES_PER_ADDRESS"], window),
        _wait_for_slowdown(session, email, window),
    )
    wait = max((w for w in waits if w is not None), default=None)
    if wait is not None:
        raise RateLimited(f"Too many {what}. Try again in {wait} seconds.", headers={"Retry-After": str(wait)})


def record_failure(session: Session, email: str, client_address: str) -> None:
    """Count one wrong password (committed at once, so that a rolled-back request still counts)."""
    session.add(LoginFailure(email=email, client_address=client_address))
    session.commit()


def forget(session: Session, email: str, client_address: str) -> None:
    """A successful login: the failures of this account from this address no longer count."""
    session.execute(delete(LoginFailure).where(LoginFailure.email == email,
                                               LoginFailure.client_address == client_address))
