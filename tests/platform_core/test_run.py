"""`gongdan run` (what `make run` starts) as a new installation uses it: gunicorn, no Redis, and the
periodic jobs running in the one server with nothing else started."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
import time_machine

from gongdan import create_app
from platform_core import jobs
from platform_core.db import get_session, utcnow
from tests.conftest import PASSWORD, Api, app_config, empty_database
from tests.support.servers import free_port, wait_until

ROOT = Path(__file__).resolve().parents[2]
P1 = {"title": "Payroll system down", "category": "software", "urgency": "high", "impact": "company",
      "description": "Nobody can log in to payroll", "region": "north"}


@pytest.fixture
def app(database_url, tmp_path):
    """Jobs inline, as under `make run` (no Redis), whatever the suite runs against."""
    app = create_app(app_config(database_url, tmp_path, REDIS_URL=None))
    empty_database(app)
    yield app
    app.extensions["gongdan_db"].engine.dispose()


class Running:
    """`gongdan run …` as a subprocess on a free port; its output is kept in a file."""

    def __init__(self, app, tmp_path: Path, *args: str, intervals: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tmp_path / "server.log"
        env = {**os.environ, "GONGDAN_DATABASE_URL": app.config["DATABASE_URL"], "GONGDAN_SECRET_KEY": "k" * 40,
               "GONGDAN_INSTANCE_PATH": str(tmp_path / "instance"), "GONGDAN_PERIODIC_INTERVALS": intervals,
               "GONGDAN_PASSWORD_HASH_MEMORY_KIB": "1024", "GONGDAN_PASSWORD_HASH_TIME_COST": "1", **(env or {})}
        for name in ("GONGDAN_REDIS_URL", "WERKZEUG_RUN_MAIN", "WERKZEUG_SERVER_FD"):
            env.pop(name, None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gongdan.cli", "run", "--port", str(self.port), *args],
            cwd=ROOT, env=env, stdout=self.log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_until(self._up, timeout=60, interval=0.2)
        except BaseException:
            self.stop()
            raise

    def _up(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"gongdan run exited:\n{self.output()}")
        try:
            return httpx.get(f"{self.base}/healthz", timeout=5).status_code == 200
        except httpx.HTTPError:
            return False

    def health_job(self, name: str) -> dict:
        health = httpx.get(f"{self.base}/healthz", timeout=10).json()
        return next(job for job in health["periodic_jobs"] if job["name"] == name)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _events(admin: Api, ticket_id: int) -> list[str]:
    response = admin.get(f"/api/v1/tickets/{ticket_id}/events?limit=100")
    assert response.status_code == 200, response.json
    return [event["kind"] for event in response.json["items"]]


@pytest.mark.long
def test_make_run_fires_a_due_sla_warning_within_the_sweep_interval_with_nothing_else_started(
        app, admin, make_user, tmp_path):
    assert admin.post("/api/v1/templates/it-service-desk/install").status_code == 201
    make_user("rita@example.com", ["requester"], name="Rita")
    rita = Api(app.test_client())
    assert rita.login("rita@example.com", PASSWORD).status_code == 200

    server = Running(app, tmp_path, "--workers", "3", intervals="sla_sweep=3")
    try:
        # A production server, not Flask's development server; three workers and exactly one scheduler.
        assert "gunicorn" in server.output() and "development server" not in server.output()
        # The master forks the scheduler after its workers; a worker can answer /healthz first.
        wait_until(lambda: "started the periodic-job scheduler" in server.output(), timeout=20, interval=0.2)
        assert server.output().count("started the periodic-job scheduler") == 1
        wait_until(lambda: len(_children(server.process.pid)) == 3 + 1, timeout=20, interval=0.2)

        # Every periodic job runs on start; /healthz shows it.
        first = wait_until(lambda: (job := server.health_job("sla_sweep"))["last_status"] == "succeeded" and job,
                           timeout=30, interval=0.2)
        assert first["every_seconds"] == 3
        for name in ("deliver_outbox", "purge_expired_auth", "purge_outbox", "purge_orphan_uploads", "sla_sweep"):
            job = server.health_job(name)
            assert job["last_started_at"] is not None and job["overdue"] is False, job

        # A P1 whose response is due in the past (created two hours ago, 15 min target, warn 30 min before).
        with time_machine.travel(utcnow() - timedelta(hours=2), tick=False):
            ticket = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": P1}).json
        assert ticket["priority"] == "P1"
        assert "sla_warning" not in _events(admin, ticket["id"])
        created = time.monotonic()
        wait_until(lambda: "sla_warning" in _events(admin, ticket["id"]), timeout=3 + 5, interval=0.2)
        assert time.monotonic() - created <= 3 + 5
        assert "sla_breached" in _events(admin, ticket["id"])

        # Once per interval between all the workers, not once per worker.
        time.sleep(7)
        run = _run_of(app, "sla_sweep")
        elapsed = (utcnow() - datetime.fromisoformat(first["last_started_at"])).total_seconds()
        assert 3 <= run.run_count <= elapsed / 3 + 2, (run.run_count, elapsed)
    finally:
        server.stop()
    # Stopping the server stops its scheduler too.
    count = _run_of(app, "sla_sweep").run_count
    time.sleep(4)
    assert _run_of(app, "sla_sweep").run_count == count


def _run_of(app, name: str) -> jobs.PeriodicJobRun:
    with app.app_context():
        return jobs.last_runs(get_session())[name]


@pytest.mark.long
def test_the_development_server_runs_each_job_once_per_interval_across_reloads(app, tmp_path):
    """`gongdan run --debug`: Flask's server with the reloader; a reload starts a new scheduler, which
    waits for the job's interval instead of running everything again at once."""
    watched = tmp_path / "watched" / "gongdan_test_watched.py"  # on PYTHONPATH, so the reloader watches it
    watched.parent.mkdir()
    watched.write_text("VERSION = 1\n")
    server = Running(app, tmp_path, "--debug", intervals="sla_sweep=10",
                     env={"PYTHONPATH": str(watched.parent), "GONGDAN_ENV": "development"})
    try:
        assert "Debugger is active" in server.output() or "Restarting with" in server.output()
        wait_until(lambda: server.health_job("sla_sweep")["last_status"] == "succeeded", timeout=30, interval=0.2)
        first = _run_of(app, "sla_sweep")
        assert first.run_count == 1

        time.sleep(1.5)  # the stat reloader compares modification times at one-second resolution at worst
        watched.write_text("VERSION = 2\n")
        wait_until(lambda: server.output().count("Restarting with") >= 2, timeout=20, interval=0.2)
        wait_until(server._up, timeout=30, interval=0.2)
        while utcnow() < first.last_started_at + timedelta(seconds=9):
            assert _run_of(app, "sla_sweep").run_count == 1, "a reload ran the job again before its interval"
            time.sleep(0.5)
        wait_until(lambda: _run_of(app, "sla_sweep").run_count == 2, timeout=20, interval=0.2)
        assert server.output().count("running the periodic jobs in process") == 2  # one loop per serving process
    finally:
        server.stop()


def test_a_run_is_claimed_once_per_interval_however_many_schedulers_ask(app):
    with app.app_context():
        now = utcnow()
        assert jobs.claim_periodic("sla_sweep", 60, now) is True
        assert [jobs.claim_periodic("sla_sweep", 60, now + timedelta(seconds=s)) for s in (0, 1, 59)] == [False] * 3
        assert jobs.claim_periodic("sla_sweep", 60, now + timedelta(seconds=60)) is True
        assert jobs.last_runs(get_session())["sla_sweep"].run_count == 2
        assert jobs.next_due_in(now + timedelta(seconds=70)) == 0  # the other jobs never ran


def test_an_unknown_job_in_the_intervals_setting_is_refused(database_url, tmp_path):
    from platform_core.config import ConfigError

    with pytest.raises(ConfigError, match="names no periodic job sla_swep"):
        create_app(app_config(database_url, tmp_path, PERIODIC_INTERVALS="sla_swep=5"))
    with pytest.raises(ConfigError, match="PERIODIC_INTERVALS"):
        create_app(app_config(database_url, tmp_path, PERIODIC_INTERVALS="sla_sweep=soon"))


def test_healthz_says_when_nothing_runs_the_periodic_jobs(app):
    """What `make run` looked like before: every job overdue, with nothing running them."""
    jobs_now = {job["name"]: job for job in app.test_client().get("/healthz").json["periodic_jobs"]}
    assert all(job["overdue"] for job in jobs_now.values())
    with app.app_context():
        assert jobs.run_periodic_if_due("purge_expired_auth") is True
        assert jobs.run_periodic_if_due("purge_expired_auth") is False  # once per interval
    jobs_now = {job["name"]: job for job in app.test_client().get("/healthz").json["periodic_jobs"]}
    assert jobs_now["purge_expired_auth"]["overdue"] is False and jobs_now["sla_sweep"]["overdue"] is True
