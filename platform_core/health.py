"""GET /healthz: database, Redis, queue depths, the last run of each periodic job, and the
sections capabilities report (the notification outbox, …)."""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from platform_core import maintenance
from platform_core.db import db_session, utcnow
from platform_core.jobs import get_queue, get_redis, last_runs, periodic_jobs

bp = Blueprint("health", __name__)

def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


@bp.get("/healthz")
def healthz():
    """200 when every configured dependency answers, 503 otherwise (the body says which)."""
    report: dict[str, Any] = {"status": "ok"}
    healthy = True

    started = time.perf_counter()
    try:
        db_session.execute(text("SELECT 1"))
        report["database"] = {"ok": True, "backend": db_session.get_bind().dialect.name,
                              "latency_ms": round((time.perf_counter() - started) * 1000, 2)}
        runs = last_runs(db_session)
    except Exception as exc:  # the point is to report it, whatever it is
        db_session.rollback()
        healthy = False
        report["database"] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
        runs = {}
    read_only = maintenance.read_only_state() if report["database"]["ok"] else None
    report["maintenance"] = maintenance.report(read_only)
    # Sections capabilities own (Capability.health_reports). A section that says {"ok": false, "problem": …}
    # (the SLA sweep or the outbox fallen behind by more than its bound) makes the answer 503, except while
    # the instance is read-only: then the jobs that would catch up are paused on purpose.
    problems = []
    for name, report_of in current_app.extensions.get("gongdan_health_reports", {}).items():
        if not report["database"]["ok"]:
            report[name] = None
            continue
        try:
            report[name] = report_of(db_session)
        except Exception as exc:  # reported, not raised: the rest of the answer still matters
            db_session.rollback()
            report[name] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
            continue
        if isinstance(report[name], dict) and report[name].get("ok") is False:
            problems.append(f"{name}: {report[name].get('problem')}")
    if problems:
        report["problems"] = problems
        healthy = healthy and read_only is not None

    redis = get_redis()
    if redis is None:
        report["redis"] = {"configured": False, "ok": None, "mode": "jobs run inline in the web process"}
        report["queues"] = {}
    else:
        try:
            started = time.perf_counter()
            redis.ping()
            queue = get_queue()
            report["redis"] = {"configured": True, "ok": True,
                               "latency_ms": round((time.perf_counter() - started) * 1000, 2)}
            report["queues"] = {queue.name: {"queued": queue.count,
                                             "started": queue.started_job_registry.count,
                                             "failed": queue.failed_job_registry.count}}
        except Exception as exc:
            healthy = False
            report["redis"] = {"configured": True, "ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
            report["queues"] = None

    jobs = []
    now = utcnow()
    for job in periodic_jobs():
        run = runs.get(job.name)
        started = run.last_started_at if run else None
        jobs.append({"name": job.name, "every_seconds": job.interval, "description": job.description,
                     "last_started_at": _iso(started),
                     "last_finished_at": _iso(run and run.last_finished_at),
                     "last_status": run.last_status if run else None,
                     "last_duration_ms": run.last_duration_ms if run else None,
                     # Nothing is running it: no run for two intervals (and a minute's grace), or never one.
                     "overdue": started is None or (now - started).total_seconds() > 2 * job.interval + 60})
    report["periodic_jobs"] = jobs
    report["version"] = current_app.config.get("GONGDAN_VERSION")
    if not healthy:
        report["status"] = "unavailable"
    return jsonify(report), 200 if healthy else 503
