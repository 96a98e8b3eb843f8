"""rq workers that run every job inside a Gongdan application context."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from rq import SimpleWorker, Worker

from platform_core.jobs import get_queue, get_redis


class _AppContextMixin:
    app: Flask
    parent_pid: int

    def perform_job(self, job: Any, queue: Any, execution: Any) -> bool:
        with self.app.app_context():
            if os.getpid() != self.parent_pid:
                # A forked work horse must not reuse the parent's pooled connections.
                self.app.extensions["gongdan_db"].engine.dispose(close=False)
            return super().perform_job(job, queue, execution)  # type: ignore[misc]


class AppWorker(_AppContextMixin, Worker):
    """Forks a work horse per job (a crashing job cannot take the worker down)."""


class AppSimpleWorker(_AppContextMixin, SimpleWorker):
    """Runs jobs in the worker's own process (faster; for tests and small set-ups)."""


def make_worker(app: Flask, *, simple: bool = False) -> Worker:
    cls = AppSimpleWorker if simple else AppWorker
    worker = cls([get_queue(app)], connection=get_redis(app))
    worker.app = app
    worker.parent_pid = os.getpid()
    return worker
