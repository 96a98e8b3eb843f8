"""Start, stop and read the test SMTP server and webhook receiver (each a real process)."""

from __future__ import annotations

import base64
import contextlib
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent


@contextlib.contextmanager
def threaded_server(app: Any) -> Iterator[str]:
    """The app on a real socket, one thread per request (werkzeug), for as long as the block runs; its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check: Callable[[], Any], timeout: float = 10.0, interval: float = 0.05) -> Any:
    """Poll ``check`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {timeout} s")
        time.sleep(interval)


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class _Process:
    script: str

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    def _arguments(self) -> list[str]:
        return ["--port", str(self.port)]

    def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, str(HERE / self.script), *self._arguments()],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            wait_until(lambda: _listening(self.port) or self.process.poll() is not None, timeout=15)
        except AssertionError:
            self.process.kill()
            raise
        if self.process.poll() is not None:
            raise RuntimeError(f"{self.script} exited: {self.process.stderr.read().decode()[-2000:]}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)
        self.process = None
        wait_until(lambda: not _listening(self.port), timeout=10)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.stop()


class SmtpServer(_Process):
    """aiosmtpd in its own process; accepted messages land in ``spool``."""

    script = "smtp_server.py"

    def __init__(self, spool: Path, port: int | None = None, reject: tuple[str, ...] = ()) -> None:
        super().__init__(port)
        self.spool = spool
        self.reject = reject

    def _arguments(self) -> list[str]:
        return [*super()._arguments(), "--spool", str(self.spool), *[f"--reject={r}" for r in self.reject]]

    def received(self) -> list[dict[str, Any]]:
        """Every accepted message in arrival order: {"mail_from", "rcpt_tos", "message": EmailMessage}."""
        if not self.spool.is_dir():
            return []
        found = []
        for path in sorted(self.spool.glob("*.json")):
            record = json.loads(path.read_text())
            record["message"] = message_from_bytes(base64.b64decode(record.pop("data")), policy=policy.default)
            found.append(record)
        return found

    def messages(self) -> list[EmailMessage]:
        return [record["message"] for record in self.received()]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        return wait_until(lambda: len(self.received()) >= count and self.messages(), timeout=timeout)


class WebhookReceiver(_Process):
    """An HTTP server in its own process that verifies signatures and records deliveries."""

    script = "webhook_receiver.py"

    def url(self, path: str = "/hooks/gongdan") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        with httpx.Client(trust_env=False, timeout=10) as client:
            response = client.request(method, self.url(path), json=body)
            response.raise_for_status()
            return response.json()

    def control(self, **state: Any) -> None:
        self._call("POST", "/_control", state)

    def deliveries(self) -> list[dict[str, Any]]:
        return self._call("GET", "/_deliveries")

    def reset(self) -> None:
        self._call("POST", "/_reset", {})


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content().replace("\r\n", "\n")
