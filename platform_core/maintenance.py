"""Read-only maintenance mode: while it is on, every write (POST, PUT, PATCH, DELETE) answers 503 with
``Retry-After``, except logging in and out; reads keep working, and periodic jobs that write pause.

The state is a row of ``system_state`` so every process sees it; each process keeps what it read for a few
seconds (``CACHE_SECONDS``), so a request costs no query and a change reaches every process within that time.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime
from typing import Any

from flask import Flask, current_app, g, request
from sqlalchemy import String
from sqlalchemy.orm import Mapped, Session, mapped_column

from platform_core.db import Base, UTCDateTime, utcnow
from platform_core.errors import ApiError

CACHE_SECONDS = 3.0
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Logging in and out stay possible: an admin must be able to reach the switch, and people their accounts; and the
# switch itself (PUT /api/v1/maintenance/read-only, admins only), so the admin console can end it.
EXEMPT_ENDPOINTS = frozenset({"identity.login", "identity.logout", "identity.switch_read_only"})
READ_ONLY = "read_only"

# ruff: noqa: RUF001  (Chinese punctuation is meant)
MESSAGES = {
    "en": "Gongdan is read-only for maintenance: you can look at everything, but changes are refused until it "
          "ends. Try again later.",
    "zh-CN": "工单系统正在维护，暂时只读：可以查看所有内容，但在维护结束前无法保存任何更改。请稍后再试。",
}


class SystemState(Base):
    """Instance-wide switches every process reads (the read-only maintenance mode), and figures jobs leave
    for /healthz (housekeeping)."""

    __tablename__ = "system_state"
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ServiceUnavailable(ApiError):
    status, code = 503, "read_only"


_cache: dict[str, tuple[float, dict[str, Any] | None]] = {}
_lock = threading.Lock()


def get_state(session: Session, name: str) -> dict[str, Any] | None:
    row = session.get(SystemState, name)
    return dict(row.value) if row is not None else None


def set_state(session: Session, name: str, value: dict[str, Any] | None) -> None:
    """Write (or with None delete) one state row and commit."""
    row = session.get(SystemState, name)
    if value is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(SystemState(name=name, value=value, updated_at=utcnow()))
    else:
        row.value, row.updated_at = value, utcnow()
    session.commit()


def read_only_state(app: Flask | None = None, *, fresh: bool = False) -> dict[str, Any] | None:
    """The read-only switch (``{"since": …, "by": …, "reason": …}``) or None when writes are allowed; read from the
    database at most every ``CACHE_SECONDS`` per process (``fresh`` reads it now)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    key = app.config["DATABASE_URL"]
    now = time.monotonic()
    cached = _cache.get(key)
    if not fresh and cached is not None and cached[0] > now:
        return cached[1]
    session = app.extensions["gongdan_db"].sessionmaker()
    try:
        state = get_state(session, READ_ONLY)
    except Exception:
        # Before the first migration there is no table: nothing is read-only yet.
        session.rollback()
        state = None
    finally:
        session.close()
    with _lock:
        _cache[key] = (now + CACHE_SECONDS, state)
    return state


def is_read_only(app: Flask | None = None) -> bool:
    return read_only_state(app) is not None


def set_read_only(app: Flask, on: bool, *, by: str | None = None, reason: str | None = None) -> dict[str, Any] | None:
    session = app.extensions["gongdan_db"].sessionmaker()
    try:
        value = {"since": utcnow().isoformat(), "by": by, "reason": reason} if on else None
        set_state(session, READ_ONLY, value)
    finally:
        session.close()
    _cache.pop(app.config["DATABASE_URL"], None)
    return value


def message(locale: str) -> str:
    return MESSAGES["zh-CN" if locale.startswith("zh") else "en"]


def _locale() -> str:
    user = g.get("user")
    if user is not None and getattr(user, "locale", None):
        return user.locale
    return request.accept_languages.best_match(["en", "zh-CN", "zh"]) or "en"


def refuse_writes_while_read_only() -> None:
    """before_request: 503 with Retry-After for a write while the instance is read-only."""
    if request.method not in WRITE_METHODS or request.endpoint in EXEMPT_ENDPOINTS:
        return
    state = read_only_state()
    if state is None:
        return
    retry = str(current_app.config["MAINTENANCE_RETRY_AFTER_SECONDS"])
    raise ServiceUnavailable(message(_locale()), headers={"Retry-After": retry},
                             details=[{"path": "", "message": MESSAGES["en"], "locale": "en"},
                                      {"path": "", "message": MESSAGES["zh-CN"], "locale": "zh-CN"}])


def report(state: dict[str, Any] | None) -> dict[str, Any]:
    """What /healthz and /api/v1/me say about it, so the web app can show a banner."""
    return {"read_only": state is not None, "since": state and state.get("since"),
            "reason": state and state.get("reason"), "message": MESSAGES if state is not None else None}
