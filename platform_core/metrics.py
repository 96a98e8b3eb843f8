"""``GET /metrics``: Prometheus metrics (the ``prometheus-client`` package).

Counted where they happen: requests by method, URL rule and status, their latency, periodic-job durations and
failures, and what capabilities count through ``count_after_commit`` (tickets created, transitions). Read from
the database at each scrape, so every process and host agrees: the numbers of each capability's health report
(outbox backlog and age, sweep lag, housekeeping), periodic jobs' last runs, queue depths, the read-only switch.

Under ``gongdan run`` (gunicorn) the workers and the scheduler write their counts to files in
``PROMETHEUS_MULTIPROC_DIR`` (``instance/prometheus``, emptied at start; a dead worker's live gauges are removed)
and any worker answers a scrape with the sum. ``prometheus_client`` is imported on first use, never at import
time: it decides single- or multi-process mode when it is imported, after ``gongdan run`` has set the folder.

Access: with ``METRICS_TOKEN`` set, ``Authorization: Bearer <token>``; without, requests from loopback only.
"""

from __future__ import annotations

import hmac
import logging
import os
import threading
import time
from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, request
from sqlalchemy.orm import Session

from platform_core.db import db_session, utcnow

bp = Blueprint("metrics", __name__)
log = logging.getLogger(__name__)

PREFIX = "gongdan"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
JOB_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0)
_lock = threading.Lock()
_metrics: dict[str, Any] = {}


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def _m() -> dict[str, Any]:
    """The process's metric objects, made on first use."""
    if _metrics:
        return _metrics
    with _lock:
        if not _metrics:
            from prometheus_client import Counter, Histogram

            _metrics.update(
                requests=Counter(f"{PREFIX}_http_requests_total", "HTTP requests answered, by method, URL rule and status",
                                 ["method", "route", "status"]),
                latency=Histogram(f"{PREFIX}_http_request_duration_seconds", "Time to answer a request, by method "
                                  "and URL rule", ["method", "route"], buckets=LATENCY_BUCKETS),
                job_duration=Histogram(f"{PREFIX}_job_duration_seconds", "Periodic job run time, by job", ["job"],
                                       buckets=JOB_BUCKETS),
                job_failures=Counter(f"{PREFIX}_job_failures_total", "Periodic job runs that failed, by job", ["job"]),
                events=Counter(f"{PREFIX}_events_total", "Things that happened, counted once committed "
                               "(ticket_created, ticket_transition, …)", ["event"]),
            )
    return _metrics


# --------------------------------------------------------------------------- counting


def _before() -> None:
    g._metrics_started = time.perf_counter()


def _after(response: Response) -> Response:
    started = g.pop("_metrics_started", None)
    if started is None or request.endpoint == "metrics.scrape":
        return response
    route = request.url_rule.rule if request.url_rule is not None else "(unmatched)"
    metrics = _m()
    metrics["requests"].labels(request.method, route, str(response.status_code)).inc()
    metrics["latency"].labels(request.method, route).observe(time.perf_counter() - started)
    return response


def observe_job(name: str, seconds: float, failed: bool) -> None:
    metrics = _m()
    metrics["job_duration"].labels(name).observe(seconds)
    if failed:
        metrics["job_failures"].labels(name).inc()


def count_after_commit(session: Session, event: str, amount: int = 1) -> None:
    """Count ``event`` once the session's transaction commits (not at all if it rolls back)."""
    pending = session.info.setdefault("gongdan_metric_events", {})
    pending[event] = pending.get(event, 0) + amount


def install(app: Flask) -> None:
    """Time and count every request; count events of committed transactions."""
    from sqlalchemy import event as sa_event

    from platform_core.jobs import run_observers

    if observe_job not in run_observers:
        run_observers.append(observe_job)
    app.before_request(_before)
    app.after_request(_after)
    sessionmaker = app.extensions["gongdan_db"].sessionmaker

    @sa_event.listens_for(sessionmaker, "after_commit")
    def _committed(session: Session) -> None:
        pending = session.info.pop("gongdan_metric_events", None)
        for name, amount in (pending or {}).items():
            _m()["events"].labels(name).inc(amount)

    @sa_event.listens_for(sessionmaker, "after_soft_rollback")
    def _rolled_back(session: Session, _previous: Any) -> None:
        session.info.pop("gongdan_metric_events", None)


# --------------------------------------------------------------------------- the scrape


def _allowed() -> bool:
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        given = request.headers.get("Authorization", "")
        return given.startswith("Bearer ") and hmac.compare_digest(given[7:].encode(), token.encode())
    return request.remote_addr in ("127.0.0.1", "::1")


def _read_from_database() -> Any:
    """A collector of what the database says at this moment (the same in every process)."""
    from prometheus_client.core import GaugeMetricFamily

    from platform_core import maintenance
    from platform_core.jobs import get_queue, last_runs, periodic_jobs

    families: list[Any] = []
    read_only = GaugeMetricFamily(f"{PREFIX}_read_only", "1 while the instance is read-only for maintenance")
    read_only.add_metric([], 1.0 if maintenance.read_only_state() is not None else 0.0)
    families.append(read_only)

    runs = last_runs(db_session)
    now = utcnow()
    last_duration = GaugeMetricFamily(f"{PREFIX}_job_last_duration_seconds", "The last run's duration", labels=["job"])
    last_ago = GaugeMetricFamily(f"{PREFIX}_job_last_started_seconds_ago", "Seconds since the last run started "
                                 "(-1: never)", labels=["job"])
    last_failed = GaugeMetricFamily(f"{PREFIX}_job_last_failed", "1 when the last finished run failed", labels=["job"])
    for job in periodic_jobs():
        run = runs.get(job.name)
        last_duration.add_metric([job.name], (run.last_duration_ms or 0) / 1000 if run else 0.0)
        started = run.last_started_at if run else None
        last_ago.add_metric([job.name], (now - started).total_seconds() if started else -1.0)
        last_failed.add_metric([job.name], 1.0 if run and run.last_status == "failed" else 0.0)
    families += [last_duration, last_ago, last_failed]

    # Every number of every capability's health report: gongdan_<section>_<key>.
    for section, report_of in current_app.extensions.get("gongdan_health_reports", {}).items():
        try:
            report = report_of(db_session) or {}
        except Exception:
            db_session.rollback()
            continue
        for key, value in report.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                continue
            family = GaugeMetricFamily(f"{PREFIX}_{section}_{key}", f"{section}: {key} (as on /healthz)")
            family.add_metric([], float(value))
            families.append(family)

    queue = get_queue()
    if queue is not None:
        depth = GaugeMetricFamily(f"{PREFIX}_queue_jobs", "rq jobs by queue and state", labels=["queue", "state"])
        try:
            depth.add_metric([queue.name, "queued"], queue.count)
            depth.add_metric([queue.name, "started"], queue.started_job_registry.count)
            depth.add_metric([queue.name, "failed"], queue.failed_job_registry.count)
            families.append(depth)
        except Exception:  # Redis away: /healthz says so; the rest of the scrape still matters
            log.warning("metrics: could not read the queue depths", exc_info=True)

    class _Snapshot:
        def collect(self) -> list[Any]:
            return families

    return _Snapshot()


@bp.get("/metrics")
def scrape():
    """Prometheus text format; 403 unless from loopback or with the METRICS_TOKEN."""
    if not _allowed():
        return Response("Forbidden: /metrics answers loopback, or the bearer token of GONGDAN_METRICS_TOKEN.\n",
                        403, mimetype="text/plain")
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest

    _m()
    folder = multiprocess_dir()
    if folder:
        from prometheus_client import multiprocess

        counted = CollectorRegistry()
        multiprocess.MultiProcessCollector(counted, path=folder)
    else:
        counted = REGISTRY  # this one process's own metrics
    now = CollectorRegistry()
    now.register(_read_from_database())
    # Two registries, two disjoint sets of families: the text format allows them one after the other.
    return Response(generate_latest(counted) + generate_latest(now), mimetype=CONTENT_TYPE_LATEST)
