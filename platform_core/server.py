"""``gongdan run``: the application under gunicorn (a production WSGI server), and without Redis one
periodic-job scheduler beside its workers, started and watched by gunicorn's master.

Each worker builds its own application after the fork (nothing is preloaded), so no database
connection is ever shared between processes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter

from platform_core.scheduler import SchedulerProcess


class _Arbiter(Arbiter):
    """gunicorn's master, which also keeps the one scheduler process running and stops it on exit."""

    scheduler: SchedulerProcess | None = None

    def manage_workers(self) -> None:  # called once a second by the master's loop
        super().manage_workers()
        if self.scheduler is not None:
            self.scheduler.ensure_running(close=self.LISTENERS)

    def stop(self, graceful: bool = True) -> None:
        if self.scheduler is not None:
            self.scheduler.stop()
        super().stop(graceful)


class Server(BaseApplication):
    def __init__(self, create_app: Callable[[], Flask], options: dict[str, Any],
                 scheduler: SchedulerProcess | None = None) -> None:
        self.create_app = create_app
        self.options = options
        self.scheduler = scheduler
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.create_app()

    def run(self) -> None:
        arbiter = _Arbiter(self)
        arbiter.scheduler = self.scheduler
        try:
            arbiter.run()
        except RuntimeError as error:
            print(f"\nError: {error}\n", file=sys.stderr)
            sys.exit(1)


def serve(create_app: Callable[[], Flask], *, host: str, port: int, workers: int, threads: int,
          scheduler: bool) -> None:
    """Serve until stopped (Ctrl-C or SIGTERM); with ``scheduler``, run the periodic jobs beside."""
    options = {"bind": f"{'[' + host + ']' if ':' in host else host}:{port}", "workers": workers,
               "threads": threads, "worker_class": "gthread", "proc_name": "gongdan",
               "accesslog": None, "graceful_timeout": 20,
               # An idle keep-alive connection is kept longer than its client keeps it: nginx re-uses an upstream
               # connection for up to 60 s (deploy/nginx), and a server that closes one first races the next
               # request sent on it, which the proxy cannot retry for a POST (a 502) and a client sees as a broken
               # connection. gunicorn's default is 2 s. Idle connections cost a socket each, no thread.
               "keepalive": 75,
               "control_socket_disable": True}  # gunicornc's socket: one fixed path, shared by every server
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        options["child_exit"] = _metrics_of_dead_worker
    Server(create_app, options, SchedulerProcess(create_app) if scheduler else None).run()


def _metrics_of_dead_worker(_server: Any, worker: Any) -> None:
    """gunicorn's child_exit hook: drop the live gauges of a worker that exited (its counters stay summed)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
