"""The example deployment in deploy/ runs as written: the systemd units' own ExecStart lines start the
scaled stack (gunicorn's master and workers, an rq worker, the one scheduler) against the real PostgreSQL
or SQLite and Redis; the periodic jobs go round through Redis, a reload replaces the web workers while
requests keep being answered, and every process stops cleanly on the units' KillSignal."""

from __future__ import annotations

import json
import os
import shlex
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import TEST_REDIS_URL, needs_redis
from tests.support.deploy_files import INSTALLED_BIN, ROOT, environment_file, unit, unit_command

UNITS = ["gongdan-migrate.service", "gongdan-web.service", "gongdan-worker@.service", "gongdan-scheduler.service"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_units_and_the_environment_file_hold_together(tmp_path):
    """Every unit reads the environment file and runs, from the installed venv, a command that exists with
    options it takes; the environment file names only settings Gongdan has."""
    from click.testing import CliRunner

    from gongdan.cli import main
    from platform_core.config import SETTINGS

    env = {"GONGDAN_SECRET_KEY": "k" * 48, "GONGDAN_INSTANCE_PATH": str(tmp_path)}
    for name in UNITS:
        service = unit(name)["Service"]
        assert service["EnvironmentFile"] == "/etc/gongdan/gongdan.env", name
        command = shlex.split(service["ExecStart"])
        assert command[0] == f"{INSTALLED_BIN}gongdan", name
        # --help last: click reads the options before it, so an option the command lacks fails here
        result = CliRunner().invoke(main, [*command[1:], "--help"], env=env)
        assert result.exit_code == 0, (name, result.output[-2000:])
    for key in environment_file():
        assert key.removeprefix("GONGDAN_") in SETTINGS, f"{key} in deploy/gongdan.env.example is no setting"


def _start(name: str, env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    command = unit_command(name, port)
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def _get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def _stop(process: subprocess.Popen, name: str) -> int:
    """What systemd does on stop: KillSignal, then SIGKILL after TimeoutStopSec."""
    service = unit(name)["Service"]
    process.send_signal(getattr(signal, service["KillSignal"]))
    try:
        return process.wait(timeout=int(service["TimeoutStopSec"]))
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise AssertionError(f"{name} did not stop within TimeoutStopSec") from None


@needs_redis
@pytest.mark.long
def test_the_units_run_the_scaled_stack(app, tmp_path):
    port = _free_port()
    env = {**os.environ, **environment_file(),
           "GONGDAN_DATABASE_URL": app.config["DATABASE_URL"], "GONGDAN_REDIS_URL": TEST_REDIS_URL,
           "GONGDAN_SECRET_KEY": "k" * 48, "GONGDAN_INSTANCE_PATH": str(tmp_path / "instance"),
           "GONGDAN_UPLOAD_DIR": str(tmp_path / "uploads"), "GONGDAN_BACKUP_DIR": str(tmp_path / "backups"),
           "GONGDAN_SMTP_HOST": "", "GONGDAN_BASE_URL": f"http://127.0.0.1:{port}", "GONGDAN_TRUSTED_PROXIES": "0"}
    for key in ("FLASK_APP", "PROMETHEUS_MULTIPROC_DIR"):
        env.pop(key, None)
    migrate = _start("gongdan-migrate.service", env, port, tmp_path / "migrate.log")
    assert migrate.wait(timeout=120) == 0, (tmp_path / "migrate.log").read_text()[-3000:]

    logs = {unit: tmp_path / f"{unit}.log" for unit in UNITS[1:]}
    processes = {unit: _start(unit, env, port, logs[unit]) for unit in UNITS[1:]}
    base = f"http://127.0.0.1:{port}"

    def say_why() -> str:
        return "\n".join(f"--- {unit}\n{log.read_text(errors='replace')[-2500:]}" for unit, log in logs.items())

    try:
        # The scheduler enqueues each periodic job at once; a worker runs them; /healthz reads their runs.
        deadline = time.monotonic() + 120  # four gunicorn workers and two more processes import the app
        while True:
            try:
                status, health = _get(f"{base}/healthz")
                runs = {job["name"]: job["last_status"] for job in health["periodic_jobs"]}
                if runs and all(state == "succeeded" for state in runs.values()):
                    break
            except OSError:  # refused while gunicorn boots
                pass
            for unit, process in processes.items():
                assert process.poll() is None, f"{unit} exited\n{say_why()}"
            assert time.monotonic() < deadline, f"periodic jobs not all run through Redis: {runs}\n{say_why()}"
            time.sleep(0.5)
        assert health["redis"]["ok"] is True and health["database"]["ok"] is True
        assert status == 200, health

        # systemctl reload: new workers, and nobody is refused meanwhile.
        web = processes["gongdan-web.service"]
        before = set(subprocess.run(["pgrep", "-P", str(web.pid)], capture_output=True, text=True).stdout.split())
        web.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 90
        while True:
            assert _get(f"{base}/healthz")[0] == 200
            now = set(subprocess.run(["pgrep", "-P", str(web.pid)], capture_output=True, text=True).stdout.split())
            if now and not now & before:
                break
            assert time.monotonic() < deadline, f"the web workers were not replaced\n{say_why()}"
            time.sleep(0.2)
    finally:
        codes = {name: _stop(process, name) for name, process in processes.items()}
    assert codes == {unit: 0 for unit in processes}, say_why()

