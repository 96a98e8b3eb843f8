"""enqueue() inline and over a real Redis with a real rq worker; periodic jobs; /healthz."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta

from sqlalchemy import select

from platform_core import jobs
from platform_core.auth.models import AuthSession, User
from platform_core.db import get_session, utcnow
from tests.conftest import PASSWORD, TEST_REDIS_URL, Api, app_config, needs_redis


def _expired_session(app, email):
    with app.app_context():
        session = get_session()
        user = session.scalar(select(User).where(User.email == email))
        session.add(AuthSession(token_hash="x" * 64, user=user, csrf_token="c",
                                expires_at=utcnow() - timedelta(hours=1)))
        session.commit()


def _session_count(app):
    with app.app_context():
        return len(get_session().scalars(select(AuthSession)).all())


def test_inline_enqueue_waits_for_the_commit_and_is_dropped_on_rollback(database_url, tmp_path, make_user):
    from gongdan import create_app

    app = create_app(app_config(database_url, tmp_path, REDIS_URL=None))
    make_user("ann@example.com")
    _expired_session(app, "ann@example.com")
    with app.app_context():
        session = get_session()
        session.add(User(email="tmp@example.com", name="Tmp"))
        session.flush()
        jobs.enqueue(jobs.run_periodic, "purge_expired_auth")
        assert _session_count(app) == 1  # held until commit
        session.rollback()
    assert _session_count(app) == 1  # dropped with the rollback

    with app.app_context():
        session = get_session()
        session.add(User(email="tmp2@example.com", name="Tmp"))
        session.flush()
        jobs.enqueue(jobs.run_periodic, "purge_expired_auth")
        session.commit()
        assert _session_count(app) == 0  # ran right after the commit
        run = jobs.last_runs(get_session())["purge_expired_auth"]
        assert run.last_status == "succeeded" and run.run_count == 1
    app.extensions["gongdan_db"].engine.dispose()


def test_healthz_without_redis(database_url, tmp_path):
    from gongdan import create_app

    app = create_app(app_config(database_url, tmp_path, REDIS_URL=None))
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    body = response.json
    assert body["status"] == "ok" and body["database"]["ok"] is True
    assert body["redis"]["configured"] is False
    assert [j["name"] for j in body["periodic_jobs"]] == [j.name for j in jobs.periodic_jobs(app)]
    assert body["outbox"] == {"pending": 0, "sending": 0, "failed": 0, "dead": 0, "overdue_seconds": 0, "backlog": 0,
                              "oldest_age_seconds": 0}
    app.extensions["gongdan_db"].engine.dispose()


def test_redis_down_is_503_on_healthz_while_other_requests_work(database_url, tmp_path, make_user):
    from gongdan import create_app

    app = create_app(app_config(database_url, tmp_path, REDIS_URL="redis://127.0.0.1:1/0"))
    make_user("ann@example.com")
    health = app.test_client().get("/healthz")
    assert health.status_code == 503
    assert health.json["redis"] == {"configured": True, "ok": False, "error": health.json["redis"]["error"]}
    assert health.json["database"]["ok"] is True
    client = Api(app.test_client())
    assert client.login("ann@example.com", PASSWORD).status_code == 200
    assert client.patch("/api/v1/me", json={"name": "Still works"}).status_code == 200
    app.extensions["gongdan_db"].engine.dispose()


def test_scheduler_once_runs_every_periodic_job_and_records_it(app, make_user):
    make_user("ann@example.com")
    _expired_session(app, "ann@example.com")
    env = {**os.environ, "GONGDAN_DATABASE_URL": app.config["DATABASE_URL"], "GONGDAN_ENV": "development"}
    env.pop("GONGDAN_REDIS_URL", None)
    result = subprocess.run([sys.executable, "-m", "gongdan.cli", "scheduler", "--once"],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "purge_expired_auth: succeeded" in result.stdout
    assert _session_count(app) == 0
    health = app.test_client().get("/healthz").json
    job = health["periodic_jobs"][0]
    assert job["last_status"] == "succeeded" and job["last_finished_at"] is not None


@needs_redis
def test_jobs_go_through_redis_to_a_real_rq_worker(app, make_user):
    make_user("ann@example.com")
    _expired_session(app, "ann@example.com")
    with app.app_context():
        jobs.enqueue(jobs.run_periodic, "purge_expired_auth")
    health = app.test_client().get("/healthz").json
    assert health["redis"]["ok"] is True
    assert health["queues"][app.config["QUEUE_NAME"]]["queued"] == 1
    assert _session_count(app) == 1  # nothing ran in the web process

    env = {**os.environ, "GONGDAN_DATABASE_URL": app.config["DATABASE_URL"], "GONGDAN_REDIS_URL": TEST_REDIS_URL,
           "GONGDAN_ENV": "development"}
    result = subprocess.run([sys.executable, "-m", "gongdan.cli", "worker", "--burst"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert _session_count(app) == 0
    health = app.test_client().get("/healthz").json
    assert health["queues"][app.config["QUEUE_NAME"]] == {"queued": 0, "started": 0, "failed": 0}
    assert health["periodic_jobs"][0]["last_status"] == "succeeded"


@needs_redis
def test_the_cron_scheduler_enqueues_the_periodic_jobs(app):
    """`gongdan scheduler` with Redis registers the one list with rq's cron scheduler."""
    env = {**os.environ, "GONGDAN_DATABASE_URL": app.config["DATABASE_URL"], "GONGDAN_REDIS_URL": TEST_REDIS_URL,
           "GONGDAN_ENV": "development"}
    process = subprocess.Popen([sys.executable, "-m", "gongdan.cli", "scheduler"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        queue = jobs.get_queue(app)
        expected = len(jobs.periodic_jobs(app))
        deadline = utcnow() + timedelta(seconds=60)
        # The scheduler enqueues the jobs one by one: wait for all of them, not for the first.
        while queue.count < expected and utcnow() < deadline and process.poll() is None:
            time.sleep(0.2)
        assert queue.count == expected, process.stdout.read() if process.poll() is not None else queue.count
        job = queue.jobs[0]
        assert job.func_name == "platform_core.jobs.run_periodic" and job.args == ("purge_expired_auth",)
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_worker_refuses_to_start_without_redis(app):
    env = {**os.environ, "GONGDAN_DATABASE_URL": app.config["DATABASE_URL"], "GONGDAN_ENV": "development"}
    env.pop("GONGDAN_REDIS_URL", None)
    result = subprocess.run([sys.executable, "-m", "gongdan.cli", "worker", "--burst"],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "inline" in result.stderr
