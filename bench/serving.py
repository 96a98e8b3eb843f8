"""Serving a bench's database with `gongdan run` (gunicorn, as in production) on a free loopback port.

The browser benches measure the application as it is deployed: real HTTP against the production
server, not an in-process development server sharing the bench's Python interpreter.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(base: str) -> bool:
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        connection.request("GET", "/favicon.svg")
        return connection.getresponse().status == 200
    finally:
        connection.close()


@contextmanager
def gongdan_run(database_url: str, instance: Path, workers: int = 2) -> Iterator[str]:
    """`gongdan run` on a free port over `database_url` (no Redis, no scheduler); yields its base URL."""
    port = free_port()
    env = {**os.environ, "GONGDAN_DATABASE_URL": database_url, "GONGDAN_INSTANCE_PATH": str(instance),
           "GONGDAN_SECRET_KEY": "bench" * 10, "GONGDAN_LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)}
    env.pop("GONGDAN_REDIS_URL", None)
    log = (instance / "server.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "gongdan.cli", "run", "--port", str(port), "--no-scheduler",
                                "--workers", str(workers)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                if _answers(base):
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise SystemExit(f"`gongdan run` did not start; see {instance / 'server.log'}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
