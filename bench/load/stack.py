"""The scaled stack on this machine, started as deploy/ describes it, and stopped whatever happens.

PostgreSQL and Redis are private instances (``initdb`` / ``redis-server`` in a temporary folder, on a loopback
port of the harness's own), so restarting them hurts nobody else; a URL may be given instead (then the
harness never restarts it). The web processes, the rq workers and the scheduler run the ``ExecStart`` lines
of ``deploy/systemd/*.service`` with the settings of ``deploy/gongdan.env.example``, as
``tests/platform_core/test_deployment.py`` does; only the paths, the port and the addresses change.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

# The units and the environment file read as the deployment test reads them (one reading for both).
from tests.support.deploy_files import ROOT, environment_file, unit_command  # noqa: F401  (re-exported)


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def wait_for_port(port: int, timeout: float, process: subprocess.Popen | None = None, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            sock.settimeout(0.5)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode} before listening on {port}")
        time.sleep(0.1)
    raise RuntimeError(f"{what} is not listening on 127.0.0.1:{port} after {timeout:.0f} s")


@dataclass
class Ports:
    """The harness's ports, all on 127.0.0.1, taken from one range (default 18100-18199)."""

    first: int
    last: int
    taken: set[int] = field(default_factory=set)

    def take(self) -> int:
        for port in range(self.first, self.last + 1):
            if port not in self.taken and port_free(port):
                self.taken.add(port)
                return port
        raise RuntimeError(f"no free port in {self.first}-{self.last}")


class Processes:
    """Every process the harness starts, each in a session of its own, killed with its whole group on the way out
    (also on Ctrl-C, SIGTERM and failure: `stop_all` runs from the harness's `finally`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: list[str], env: dict[str, str], **kwargs) -> subprocess.Popen:
        log = (self.folder / f"{name}.log").open("ab")
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True, **kwargs)
        log.close()
        self.running[name] = process
        return process

    def log_tail(self, name: str, chars: int = 3000) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""

    def stop(self, name: str, sig: int = signal.SIGTERM, timeout: float = 30) -> int | None:
        process = self.running.pop(name, None)
        if process is None:
            return None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            return process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            return process.wait(timeout=10)

    def stop_all(self) -> None:
        for name in reversed(list(self.running)):
            self.stop(name, timeout=20)


class PrivatePostgres:
    """A PostgreSQL cluster of the harness's own: ``initdb`` in a temporary folder, listening on one loopback port
    (and a socket in that folder), run as the ``postgres`` system user when the harness runs as root."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder / "pgdata", port
        self.socket_dir = folder / "pgsocket"
        self.bin = Path(shutil.which("pg_ctl") or "/usr/lib/postgresql/15/bin/pg_ctl").resolve().parent
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @staticmethod
    def available() -> bool:
        return shutil.which("initdb") is not None and shutil.which("pg_ctl") is not None

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/gongdan"

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       cwd="/")

    def init(self) -> None:
        self.folder.mkdir(parents=True)
        self.socket_dir.mkdir()
        if self.as_user:
            shutil.chown(self.folder.parent, "postgres")
            shutil.chown(self.folder, "postgres")
            shutil.chown(self.socket_dir, "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.folder), "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--no-sync")
        self.start()
        self._run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "gongdan")

    def start(self) -> None:
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.socket_dir} -c max_connections=300 "
                   "-c shared_buffers=256MB")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.folder), "-l", str(self.folder.parent / "postgres.log"),
                  "-o", options, "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        if (self.folder / "postmaster.pid").exists():
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.folder), "-m", mode, "-w", "-t", "60", "stop")


class PrivateRedis:
    """A redis-server of the harness's own on one loopback port, without persistence (Redis holds only the job
    queue, as docs/deployment.md says; a restart loses what was queued)."""

    def __init__(self, processes: Processes, port: int, db: int = 0) -> None:
        self.processes, self.port, self.db = processes, port, db

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/{self.db}"

    def start(self) -> None:
        process = self.processes.start("redis", [shutil.which("redis-server") or "redis-server", "--port",
                                                 str(self.port), "--bind", "127.0.0.1", "--save", "",
                                                 "--appendonly", "no", "--dir", str(self.processes.folder)],
                                       env=dict(os.environ))
        wait_for_port(self.port, 20, process, "redis-server")

    def stop(self) -> None:
        self.processes.stop("redis", signal.SIGKILL)
