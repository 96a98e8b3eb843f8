"""Several gunicorn processes share one database: a login made in one works in every other."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.long
def test_sessions_work_across_gunicorn_workers(app, make_user, tmp_path):
    make_user("ann@example.com", ["agent"])
    port = _free_port()
    env = {**os.environ, "GONGDAN_DATABASE_URL": app.config["DATABASE_URL"], "GONGDAN_SECRET_KEY": "k" * 40,
           "GONGDAN_INSTANCE_PATH": str(tmp_path), "GONGDAN_PASSWORD_HASH_MEMORY_KIB": "1024",
           "GONGDAN_PASSWORD_HASH_TIME_COST": "1"}
    env.pop("GONGDAN_REDIS_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "3", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60  # three workers import the app: slow on a busy machine
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=5)
                break
            except OSError:  # refused, reset or timed out while the workers boot
                if server.poll() is not None:  # gunicorn gave up (e.g. the port was taken meanwhile): say why
                    raise AssertionError(server.stdout.read().decode(errors="replace")[-3000:]) from None
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

        def call(method, path, body=None, headers=None):
            data = json.dumps(body).encode() if body is not None else None
            request = urllib.request.Request(f"{base}{path}", data=data, method=method,
                                             headers={"Content-Type": "application/json", "Connection": "close",
                                                      **(headers or {})})
            with opener.open(request, timeout=10) as response:
                return json.loads(response.read() or b"null")

        csrf = call("POST", "/api/v1/auth/login", {"email": "ann@example.com", "password": PASSWORD})["csrf_token"]
        for i in range(30):  # new connections each time, spread over the workers
            assert call("GET", "/api/v1/me")["user"]["email"] == "ann@example.com"
            if i % 10 == 0:
                call("PATCH", "/api/v1/me", {"name": f"Ann {i}"}, {"X-CSRF-Token": csrf})
        assert call("GET", "/api/v1/me")["user"]["name"] == "Ann 20"
    finally:
        server.terminate()
        server.wait(timeout=30)
