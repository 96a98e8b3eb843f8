"""Background jobs: ``enqueue()`` over rq, inline when no Redis is configured, and running the
periodic jobs the capabilities declare.

Job functions are plain module-level functions that take ids, not objects, and are
idempotent. Workers run each job inside an application context (``gongdan worker``).

``enqueue()`` called while the session has an open transaction holds the job until that
transaction commits (and drops it on rollback), so a job never runs against rows that are
not yet visible — with rq as with the inline runner.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app, g, has_app_context
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import String, Text, event, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from platform_core.capability import PeriodicJob
from platform_core.db import Base, UTCDateTime, utcnow

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- periodic jobs
# Each capability declares its own (platform_core.capability.PeriodicJob); the composition root
# collects them into the app's one list, which `gongdan scheduler` registers and /healthz reports.


def periodic_jobs(app: Flask | None = None) -> list[PeriodicJob]:
    """The application's periodic jobs, in declaration order."""
    return list((app or current_app).extensions.get("gongdan_periodic_jobs", ()))


def periodic_job(name: str) -> PeriodicJob:
    for job in periodic_jobs():
        if job.name == name:
            return job
    raise KeyError(f"no periodic job named {name!r}")


class PeriodicJobRun(Base):
    """The last run of each periodic job, for operators and /healthz."""

    __tablename__ = "periodic_job_run"
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    last_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_status: Mapped[str | None] = mapped_column(String(16))  # running, succeeded, failed
    last_error: Mapped[str | None] = mapped_column(Text)
    last_duration_ms: Mapped[int | None] = mapped_column()
    run_count: Mapped[int] = mapped_column(default=0)


def _mark_run(name: str, **values: Any) -> None:
    session = current_app.extensions["gongdan_db"].sessionmaker()
    try:
        run = session.get(PeriodicJobRun, name)
        if run is None:
            run = PeriodicJobRun(name=name, run_count=0)
            session.add(run)
        for key, value in values.items():
            setattr(run, key, value)
        if values.get("last_status") == "running":
            run.run_count = (run.run_count or 0) + 1
        session.commit()
    finally:
        session.close()


def paused(job: PeriodicJob) -> bool:
    """A job that writes waits while the instance is read-only (maintenance mode); it catches up afterwards,
    since every periodic job works from what is due rather than from what happened since its last run."""
    from platform_core.maintenance import is_read_only

    if job.writes and is_read_only():
        log.info("periodic job %s paused: the instance is read-only", job.name)
        return True
    return False


def run_periodic(name: str) -> bool:
    """Run one periodic job by name and record its outcome (this is what the scheduler enqueues); False when it
    is paused by the read-only mode."""
    job = periodic_job(name)
    if paused(job):
        return False
    _mark_run(name, last_started_at=utcnow(), last_status="running", last_error=None)
    _execute(job)
    return True


def claim_periodic(name: str, interval: float, now: datetime | None = None) -> bool:
    """Claim the run of ``name`` that is due now: True, and the run recorded as started, when no run
    of it started within the last ``interval`` seconds; False when one did.

    One conditional UPDATE decides, so any number of in-process schedulers (``gongdan run``'s,
    the development server's after each reload, a ``gongdan scheduler`` beside them) run each job
    once per interval between them, and a restart does not run every job again at once.
    """
    now = now or utcnow()
    session = current_app.extensions["gongdan_db"].sessionmaker()
    try:
        if session.get(PeriodicJobRun, name) is None:
            session.add(PeriodicJobRun(name=name, run_count=0))
            try:
                session.commit()
            except IntegrityError:  # another scheduler added it at the same moment
                session.rollback()
        table = PeriodicJobRun.__table__
        claimed = session.execute(
            update(table)
            .where(table.c.name == name,
                   or_(table.c.last_started_at.is_(None),
                       table.c.last_started_at <= now - timedelta(seconds=interval)))
            .values(last_started_at=now, last_status="running", last_error=None,
                    run_count=table.c.run_count + 1))
        session.commit()
        return claimed.rowcount == 1
    finally:
        session.close()


def run_periodic_if_due(name: str, now: datetime | None = None) -> bool:
    """Run ``name`` if its run is due and this caller claims it (see ``claim_periodic``); True if it ran.
    A failure is recorded (and logged), not raised: the scheduler goes on with the next job."""
    job = periodic_job(name)
    # Paused jobs are not claimed, so the first round after the read-only mode ends runs them at once.
    if paused(job) or not claim_periodic(name, job.interval, now):
        return False
    try:
        _execute(job)
    except Exception:
        log.exception("periodic job %s failed", name)
    return True


def next_due_in(now: datetime | None = None) -> float:
    """Seconds until the next periodic job is due by the recorded runs (0 when one is due now)."""
    now = now or utcnow()
    session = current_app.extensions["gongdan_db"].sessionmaker()
    try:
        runs = last_runs(session)
    finally:
        session.close()
    waits = []
    for job in periodic_jobs():
        run = runs.get(job.name)
        started = run.last_started_at if run is not None else None
        waits.append(0.0 if started is None else (started + timedelta(seconds=job.interval) - now).total_seconds())
    return max(0.0, min(waits, default=60.0))


# Told of every periodic run: (name, seconds, failed). /metrics adds its own (platform_core.metrics.install).
run_observers: list[Callable[[str, float, bool], None]] = []


def observe_job(name: str, seconds: float, failed: bool) -> None:
    for observer in run_observers:
        try:
            observer(name, seconds, failed)
        except Exception:  # counting must never fail a job
            log.exception("a periodic-run observer failed")


def _execute(job: PeriodicJob) -> None:
    name = job.name
    started = time.monotonic()
    try:
        job.func()
    except Exception:
        observe_job(name, time.monotonic() - started, failed=True)
        _mark_run(name, last_finished_at=utcnow(), last_status="failed",
                  last_error=traceback.format_exc()[-4000:],
                  last_duration_ms=int((time.monotonic() - started) * 1000))
        raise
    observe_job(name, time.monotonic() - started, failed=False)
    _mark_run(name, last_finished_at=utcnow(), last_status="succeeded",
              last_duration_ms=int((time.monotonic() - started) * 1000))


def last_runs(session: Session) -> dict[str, PeriodicJobRun]:
    return {run.name: run for run in session.scalars(select(PeriodicJobRun))}


# --------------------------------------------------------------------------- the queue


def get_redis(app: Flask | None = None) -> Redis | None:
    """The app's Redis connection (created lazily, never at import), or None without REDIS_URL."""
    app = app or current_app
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    connection = app.extensions.get("gongdan_redis")
    if connection is None:
        connection = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5, health_check_interval=30)
        app.extensions["gongdan_redis"] = connection
    return connection


def get_queue(app: Flask | None = None):
    from rq import Queue

    app = app or current_app
    connection = get_redis(app)
    if connection is None:
        return None
    return Queue(app.config["QUEUE_NAME"], connection=connection)


def _dispatch(func: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    queue = get_queue()
    if queue is not None:
        queue.enqueue(func, *args, **kwargs)
        return
    # Inline: a fresh application context gives the job its own database session, as a
    # worker would, and a failure is logged without undoing the request that committed.
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with app.app_context():
        try:
            func(*args, **kwargs)
        except Exception:
            log.exception("inline job %s.%s failed", func.__module__, func.__name__)


def enqueue(func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run ``func(*args, **kwargs)`` in the background (rq) or inline when REDIS_URL is unset.

    Inside an open transaction the job waits for the commit and is dropped on rollback.
    """
    if not has_app_context():
        raise RuntimeError("enqueue() needs an application context")
    session = g.get("_db_session")
    if session is not None and session.in_transaction():
        session.info.setdefault("pending_jobs", []).append((func, args, kwargs))
        return
    _dispatch(func, args, kwargs)


def enqueue_for_row(session: Session, instance: Any, func: Callable[[int], Any]) -> None:
    """Run ``func(instance.id)`` in the background once ``session``'s transaction, which writes
    ``instance``, commits (dropped on rollback).

    A new row has no id before the flush, so the job waits for the flush and then for the
    commit, without forcing an extra flush: inserts stay batched.
    """
    if instance.id is not None:
        session.info.setdefault("pending_jobs", []).append((func, (instance.id,), {}))
    else:
        session.info.setdefault("awaiting_ids", []).append((instance, func))


def enqueue_on_commit(session: Session, func: Callable[..., Any], *args: Any) -> None:
    """Run ``func(*args)`` in the background once ``session``'s transaction commits (dropped on rollback)."""
    session.info.setdefault("pending_jobs", []).append((func, args, {}))


def install_session_hooks(session_factory: Any) -> None:
    """Dispatch held jobs after their transaction commits; drop them on rollback."""

    @event.listens_for(session_factory, "after_flush_postexec")
    def _after_flush(session: Session, _context: Any) -> None:
        awaiting = session.info.pop("awaiting_ids", None)
        for instance, func in awaiting or ():
            if instance.id is None:  # not flushed yet
                session.info.setdefault("awaiting_ids", []).append((instance, func))
            else:
                session.info.setdefault("pending_jobs", []).append((func, (instance.id,), {}))

    @event.listens_for(session_factory, "after_commit")
    def _after_commit(session: Session) -> None:
        pending = session.info.pop("pending_jobs", None)
        if pending:
            # Dispatch after the commit has fully finished, from outside the event hook.
            session.info.setdefault("ready_jobs", []).extend(pending)

    @event.listens_for(session_factory, "after_soft_rollback")
    def _after_rollback(session: Session, _previous: Any) -> None:
        dropped = session.info.pop("pending_jobs", None) or []
        dropped += session.info.pop("awaiting_ids", None) or []
        if dropped:
            log.info("dropped %d job(s) of a rolled-back transaction", len(dropped))

    @event.listens_for(session_factory, "after_transaction_end")
    def _after_end(session: Session, transaction: Any) -> None:
        if transaction.parent is not None:
            return
        ready = session.info.pop("ready_jobs", None) or []
        for index, (func, args, kwargs) in enumerate(ready):
            try:
                _dispatch(func, args, kwargs)
            except RedisError:
                # The request has committed and must not fail now. Durable work (the outbox)
                # is picked up by its periodic sweep; skip the rest rather than wait on a
                # dead Redis once per job.
                log.exception("could not reach Redis to enqueue %s.%s after commit; %d job(s) of this commit "
                              "not enqueued", func.__module__, func.__name__, len(ready) - index)
                break
            except Exception:
                log.exception("could not enqueue %s.%s after commit", func.__module__, func.__name__)
