"""Housekeeping: one periodic job that runs every capability's pruner (``Capability.housekeeping``: expired
sessions, login failures, idempotency keys past their window, delivered outbox messages past retention, …), then
the database's own maintenance (``ANALYZE`` on PostgreSQL, ``PRAGMA optimize`` on SQLite), and leaves its figures
in ``system_state`` for /healthz."""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from platform_core.db import get_session, utcnow
from platform_core.maintenance import get_state, set_state

log = logging.getLogger(__name__)
STATE = "housekeeping"


def _pruners() -> dict[str, Any]:
    return {name: prune for capability in current_app.extensions.get("gongdan_capabilities", ())
            for name, prune in capability.housekeeping.items()}


def _optimize(session: Session) -> str | None:
    if not current_app.config["HOUSEKEEPING_VACUUM"]:
        return None
    if session.get_bind().dialect.name == "postgresql":
        session.connection().exec_driver_sql("ANALYZE")
        session.commit()
        return "ANALYZE"
    session.connection().exec_driver_sql("PRAGMA optimize")
    session.commit()
    return "PRAGMA optimize"


def run() -> dict[str, Any]:
    """Periodic job: prune, optimize, record the figures; the figures."""
    started = time.monotonic()
    session = get_session()
    pruned: dict[str, int] = {}
    for name, prune in _pruners().items():
        counted = prune()
        if isinstance(counted, dict):
            pruned.update({f"{name}.{key}": int(value) for key, value in counted.items()})
        else:
            pruned[name] = int(counted or 0)
    optimized = _optimize(session)
    figures = {"last_run_at": utcnow().isoformat(), "duration_ms": int((time.monotonic() - started) * 1000),
               "pruned": pruned, "pruned_total": sum(pruned.values()), "optimized": optimized}
    set_state(session, STATE, figures)
    log.info("housekeeping pruned %d row(s) %s; %s", figures["pruned_total"], pruned, optimized or "no optimize")
    return figures


def health_report(session: Session) -> dict[str, Any] | None:
    """/healthz: the last run's figures (None before the first)."""
    return get_state(session, STATE)
