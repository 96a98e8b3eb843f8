"""The periodic jobs without Redis: a loop that runs each job when it is due, in a thread (the
development server) or in one forked child of the web server's master (``gongdan run``).

Who runs a job is decided in the database (``jobs.claim_periodic``): a run is claimed only when
no run of that job started within its interval. So however many loops there are — the development
server's reloader starts a new one with every reload, an operator may start ``gongdan scheduler``
beside ``gongdan run`` — each job runs once per interval, and a restart does not run them all again.
With Redis, ``gongdan scheduler`` enqueues the jobs on rq instead and none of this runs.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask

from platform_core.jobs import next_due_in, periodic_jobs, run_periodic_if_due
from platform_core.maintenance import is_read_only

log = logging.getLogger(__name__)

# The longest the loop sleeps between looks at the recorded runs, so a run recorded by another
# scheduler, or a shorter interval after a restart, is noticed soon.
MAX_SLEEP_SECONDS = 30.0
# How often the loop looks whether the read-only mode has ended.
PAUSED_SLEEP_SECONDS = 5.0
# How often a sleeping loop checks whether it should stop.
STOP_CHECK_SECONDS = 0.5


def run_due_jobs(app: Flask) -> float:
    """Run every periodic job that is due and claimed by this caller; seconds until the next is due."""
    for job in periodic_jobs(app):
        with app.app_context():
            try:
                run_periodic_if_due(job.name)
            except Exception:  # the database is away, say: try again on the next round
                log.exception("could not run the periodic job %s", job.name)
    with app.app_context():
        try:
            if is_read_only(app):  # the paused jobs stay due: look again in a few seconds, not at once
                return max(next_due_in(), PAUSED_SLEEP_SECONDS)
            return next_due_in()
        except Exception:
            log.exception("could not read the periodic jobs' last runs")
            return 5.0


def loop(app: Flask, should_stop: Callable[[], bool]) -> None:
    """Run the periodic jobs when due until ``should_stop()`` says so."""
    log.info("running the periodic jobs in process %d: %s", os.getpid(),
             ", ".join(f"{job.name} every {job.interval} s" for job in periodic_jobs(app)))
    while not should_stop():
        wait = min(max(run_due_jobs(app), 0.1), MAX_SLEEP_SECONDS)
        deadline = time.monotonic() + wait
        while not should_stop() and (left := deadline - time.monotonic()) > 0:
            time.sleep(min(left, STOP_CHECK_SECONDS))


def start_thread(app: Flask) -> threading.Event:
    """The loop in a daemon thread of this process (the development server); set the event to stop it."""
    stop = threading.Event()
    threading.Thread(target=loop, args=(app, stop.is_set), name="gongdan-scheduler", daemon=True).start()
    return stop


class SchedulerProcess:
    """One forked child running the loop, started and watched by the web server's master process.

    The child stops when it is sent SIGTERM or when its parent is gone; the master starts another
    if it dies (at most once every ``restart_delay`` seconds).
    """

    def __init__(self, create_app: Callable[[], Flask], restart_delay: float = 10.0) -> None:
        self.create_app = create_app
        self.restart_delay = restart_delay
        self.pid: int | None = None
        self._last_start = float("-inf")

    def start(self, close: Iterable[Any] = ()) -> None:
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child
            code = 0
            try:
                self._child(parent, close)
            except BaseException:
                log.exception("the periodic-job scheduler stopped")
                code = 1
            finally:
                os._exit(code)
        self.pid = pid
        self._last_start = time.monotonic()
        log.info("started the periodic-job scheduler (pid %d)", pid)

    def _child(self, parent: int, close: Iterable[Any]) -> None:
        stopping = False

        def on_term(_signum: int, _frame: Any) -> None:
            nonlocal stopping
            stopping = True

        for signum in (signal.SIGINT, signal.SIGQUIT, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2,
                       signal.SIGTTIN, signal.SIGTTOU, signal.SIGWINCH, signal.SIGCHLD):
            signal.signal(signum, signal.SIG_DFL)  # not the master's handlers
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the master, which stops us
        signal.signal(signal.SIGTERM, on_term)
        for listener in close:  # the master's listening sockets: only workers accept
            listener.close()
        app = self.create_app()
        loop(app, lambda: stopping or os.getppid() != parent)

    def alive(self) -> bool:
        if self.pid is None:
            return False
        try:
            pid, _status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:  # already reaped (gunicorn's master reaps every child)
            return False
        return pid == 0

    def ensure_running(self, close: Iterable[Any] = ()) -> None:
        if self.alive() or time.monotonic() - self._last_start < self.restart_delay:
            return
        if self.pid is not None:
            log.warning("the periodic-job scheduler (pid %d) exited; starting another", self.pid)
        self.start(close)

    def stop(self, timeout: float = 10.0) -> None:
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                done, _status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                return
            if done:
                log.info("stopped the periodic-job scheduler (pid %d)", pid)
                return
            time.sleep(0.1)
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
