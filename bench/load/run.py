"""Load and faults, measured on the scaled stack over real HTTP (issue 20).

Starts, on this machine and on 127.0.0.1 only, the stack of docs/deployment.md — a private PostgreSQL (initdb in a
temporary folder) and a private Redis, `gongdan run --workers 4 --threads 4 --no-scheduler`, two `gongdan worker`
and one `gongdan scheduler`, each from its systemd unit's ExecStart with deploy/gongdan.env.example's settings —
seeds N tickets (one through the service, the rest copied by SQL, with running SLA clocks, some due during the
run), then drives a mix of portal creates (Idempotency-Key), agent lists (a page of 25), transitions, comments,
requester reads and notification lists for a fixed time at each number of users, and the same gunicorn serving
`GET /api/v1/me` alone (the stack's ceiling). Then, one at a time, each fault asked for, under load; after each,
the integrity checks of bench/load/verify.py. Prints a table per part. Every process it starts is stopped on the
way out, also on Ctrl-C or failure.

    .venv/bin/python -m bench.load.run                                   # 100,000 tickets; 8, 32, 64 users, 60 s each
    .venv/bin/python -m bench.load.run --users 32 --seconds 30 --tickets 20000
    .venv/bin/python -m bench.load.run --seconds 0 --tickets 20000 \
        --faults kill-web,kill-worker,restart-redis,restart-postgres,fill-disk
    .venv/bin/python -m bench.load.run --users 2 --seconds 3 --tickets 200 --no-ceiling   # what the test runs

Faults: kill-web (kill -9 one gunicorn worker; the master starts another), kill-worker (kill -9 an rq worker and its
job while it delivers a webhook; restarted as the unit's Restart=always would), restart-redis and restart-postgres
(stop and start the private instance; refused on a URL given with --redis / --database), fill-disk (the upload
folder is a 16 MB tmpfs, filled to the last byte while users upload; needs root for the mount).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from bench.load import driver, verify
from bench.load.seed import WEBHOOK_SECRET, seed
from bench.load.stack import Ports, PrivatePostgres, PrivateRedis, Processes, environment_file, unit_command, wait_for_port

FAULTS = ("kill-web", "kill-worker", "restart-redis", "restart-postgres", "fill-disk")
WORKERS = ("worker-1", "worker-2")
# systemd's Restart= of each unit: the harness restarts what exits, as systemd would
RESTART = {"web": 2.0, "worker-1": 2.0, "worker-2": 2.0, "scheduler": 5.0}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


class Stack:
    """The running stack: the processes, their environment, and a supervisor that restarts what exits."""

    def __init__(self, args: argparse.Namespace, folder: Path) -> None:
        self.args, self.folder = args, folder
        self.ports = Ports(args.ports[0], args.ports[1])
        self.processes = Processes(folder)
        self.postgres: PrivatePostgres | None = None
        self.redis: PrivateRedis | None = None
        self.upload_mount: Path | None = None
        self.supervising = threading.Event()
        self.restarts: list[str] = []
        self._commands: dict[str, list[str]] = {}

    # ---------------------------------------------------------------- start
    def start_databases(self) -> None:
        if self.args.database:
            self.database_url = self.args.database
        else:
            if not PrivatePostgres.available():
                raise SystemExit("initdb/pg_ctl not found: pass --database URL (an empty PostgreSQL database)")
            self.postgres = PrivatePostgres(self.folder, self.ports.take())
            self.postgres.init()
            self.database_url = self.postgres.url
        if self.args.redis:
            self.redis_url = self.args.redis
        else:
            if not PrivateRedis.available():
                raise SystemExit("redis-server not found: pass --redis URL (a Redis database of your own)")
            self.redis = PrivateRedis(self.processes, self.ports.take())
            self.redis.start()
            self.redis_url = self.redis.url
        self.receiver_port = self.ports.take()
        self.receiver_log = self.folder / "receiver.jsonl"
        self.receiver_slow = self.folder / "receiver.slow"
        process = self.processes.start("receiver", [sys.executable, "-m", "bench.load.receiver",
                                                    str(self.receiver_port), str(self.receiver_log), WEBHOOK_SECRET,
                                                    str(self.receiver_slow)], env=dict(os.environ))
        wait_for_port(self.receiver_port, 20, process, "the webhook receiver")

    def mount_uploads(self) -> None:
        """A 16 MB tmpfs for the uploads, so fill-disk fills it and nothing else (root only)."""
        uploads = self.folder / "uploads"
        uploads.mkdir(exist_ok=True)
        if "fill-disk" in self.args.faults:
            done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m,mode=0777", "gongdan-load", str(uploads)],
                                  capture_output=True, text=True)
            if done.returncode != 0:
                raise SystemExit(f"fill-disk needs a small tmpfs for the uploads and `mount` refused: {done.stderr}")
            self.upload_mount = uploads

    def environment(self) -> dict[str, str]:
        self.web_port = self.ports.take() if not hasattr(self, "web_port") else self.web_port
        env = {**os.environ, **environment_file(),
               "GONGDAN_DATABASE_URL": self.database_url, "GONGDAN_REDIS_URL": self.redis_url,
               "GONGDAN_SECRET_KEY": "load-harness-" * 4, "GONGDAN_INSTANCE_PATH": str(self.folder / "instance"),
               "GONGDAN_UPLOAD_DIR": str(self.folder / "uploads"), "GONGDAN_BACKUP_DIR": "",
               "GONGDAN_SMTP_HOST": "", "GONGDAN_BASE_URL": f"http://127.0.0.1:{self.web_port}",
               "GONGDAN_TRUSTED_PROXIES": "0", "GONGDAN_LOG_LEVEL": "WARNING",
               # the receiver is on loopback: allow exactly that address
               "GONGDAN_OUTBOUND_ALLOW": "127.0.0.1",
               # shorter than production so a run's checks finish in bounded time (see bench/load/README.md)
               "GONGDAN_PERIODIC_INTERVALS": f"sla_sweep={self.args.sweep_every},deliver_outbox={self.args.sweep_every}",
               "GONGDAN_OUTBOX_SENDING_TIMEOUT_SECONDS": "20", "GONGDAN_OUTBOX_RETRY_BASE_SECONDS": "5",
               "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
        for key in ("FLASK_APP", "PROMETHEUS_MULTIPROC_DIR", "GONGDAN_BACKUP_DIR"):
            env.pop(key, None)
        return env

    def start_services(self) -> None:
        env = self.environment()
        migrate = self.processes.start("migrate", unit_command("gongdan-migrate.service", self.web_port), env)
        if migrate.wait(timeout=300) != 0:
            raise SystemExit(f"gongdan db upgrade failed:\n{self.processes.log_tail('migrate')}")
        self.processes.running.pop("migrate", None)
        self._commands = {"web": unit_command("gongdan-web.service", self.web_port),
                          **{name: unit_command("gongdan-worker@.service", self.web_port) for name in WORKERS},
                          "scheduler": unit_command("gongdan-scheduler.service", self.web_port)}
        self.env = env
        for name, command in self._commands.items():
            self.processes.start(name, command, env)
        self.base = f"http://127.0.0.1:{self.web_port}"
        wait_for_port(self.web_port, 120, self.processes.running["web"], "gunicorn")
        deadline = time.monotonic() + 120
        while not self._answers():
            if time.monotonic() > deadline:
                raise SystemExit(f"the web processes do not answer:\n{self.processes.log_tail('web')}")
            time.sleep(0.5)
        self.supervising.set()
        threading.Thread(target=self._supervise, daemon=True).start()

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.base}/healthz", timeout=10) as response:
                return response.status in (200, 503)
        except OSError:
            return False

    def _supervise(self) -> None:
        while self.supervising.is_set():
            for name, delay in RESTART.items():
                process = self.processes.running.get(name)
                if process is not None and process.poll() is not None and self.supervising.is_set():
                    self.restarts.append(f"{name} exited with {process.returncode}, restarted after {delay:g} s")
                    time.sleep(delay)
                    if self.supervising.is_set():
                        self.processes.start(name, self._commands[name], self.env)
            time.sleep(0.5)

    def children(self, name: str) -> list[int]:
        process = self.processes.running[name]
        found = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
        return [int(pid) for pid in found]

    # ---------------------------------------------------------------- stop
    def stop(self) -> None:
        self.supervising.clear()
        self.processes.stop_all()
        if self.postgres is not None:
            try:
                self.postgres.stop("immediate")
            except (subprocess.CalledProcessError, OSError) as error:
                print(f"stopping the private PostgreSQL: {error}", file=sys.stderr)
        if self.upload_mount is not None:
            subprocess.run(["umount", "-l", str(self.upload_mount)], check=False)


# -------------------------------------------------------------------- reporting

def load_table(rows: list[tuple[int, driver.Results, driver.Results | None]]) -> str:
    lines = [f"{'users':>5} {'operation':<14} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}"
             f" {'p50 / me':>9}"]
    for users, results, ceiling in rows:
        me_p50 = statistics.median(ceiling.latencies["me"]) if ceiling and ceiling.latencies["me"] else None
        total = 0
        for op in [name for name, _ in driver.MIX]:
            values = results.latencies.get(op, [])
            if not values:
                continue
            total += len(values)
            errors = sum(n for (name, _), n in results.attempts_failed.items() if name == op)
            ratio = f"{statistics.median(values) / me_p50:8.1f}x" if me_p50 else ""
            lines.append(f"{users:>5} {op:<14} {len(values) / results.seconds:>8.1f} "
                         f"{statistics.median(values) * 1000:>8.1f} {percentile(values, .95) * 1000:>8.1f} "
                         f"{percentile(values, .99) * 1000:>8.1f} {errors:>7} {ratio:>9}")
        errors = sum(results.attempts_failed.values())
        lines.append(f"{users:>5} {'all (mix)':<14} {total / results.seconds:>8.1f} {'':>8} {'':>8} {'':>8} {errors:>7}")
        if ceiling is not None:
            values = ceiling.latencies["me"]
            share = total / results.seconds / (len(values) / ceiling.seconds)
            lines.append(f"{users:>5} {'GET /me alone':<14} {len(values) / ceiling.seconds:>8.1f} "
                         f"{statistics.median(values) * 1000:>8.1f} {percentile(values, .95) * 1000:>8.1f} "
                         f"{percentile(values, .99) * 1000:>8.1f} {sum(ceiling.attempts_failed.values()):>7}"
                         f"   mix = {share:.2f} of the ceiling's req/s")
    return "\n".join(lines)


def integrity_lines(result: verify.Integrity) -> list[str]:
    return [f"  [{'ok' if check.ok else 'FAIL'}] {check.name}: {check.detail}" for check in result.checks]


# -------------------------------------------------------------------- faults

class Faults:
    def __init__(self, stack: Stack) -> None:
        self.stack = stack

    async def kill_web(self, results, people) -> str:
        await asyncio.sleep(self.stack.args.fault_at)
        victim = self.stack.children("web")[0]
        os.kill(victim, signal.SIGKILL)
        return f"kill -9 gunicorn worker {victim}; the master starts another"

    async def kill_worker(self, results, people) -> str:
        await asyncio.sleep(self.stack.args.fault_at)
        self.stack.receiver_slow.touch()  # the receiver now holds each delivery 3 s before answering
        try:
            seen = self.stack.receiver_log.stat().st_size if self.stack.receiver_log.exists() else 0
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                await asyncio.sleep(0.05)
                size = self.stack.receiver_log.stat().st_size if self.stack.receiver_log.exists() else 0
                running = [name for name in WORKERS if name in self.stack.processes.running]
                # a forking worker runs its job in a child (a work horse): the busy ones have one; a worker that
                # runs jobs in its own process (`gongdan worker --simple`) shows nothing, so all of them are taken
                busy = [name for name in running if self.stack.children(name)] or running
                if size > seen and busy:
                    # every worker running a job now, each with that job: one of them is the delivery the receiver
                    # holds
                    for name in busy:
                        # the job runs in a forked work horse that rq puts in a session of its own: kill it by pid
                        for horse in self.stack.children(name):
                            os.kill(horse, signal.SIGKILL)
                        os.killpg(self.stack.processes.running[name].pid, signal.SIGKILL)
                    return (f"kill -9 {' and '.join(busy)} with the job each ran, while the receiver held a "
                            "delivery; restarted after 2 s")
            return "no delivery in flight within 30 s: nothing killed"
        finally:
            await asyncio.sleep(4)
            self.stack.receiver_slow.unlink(missing_ok=True)

    async def restart_redis(self, results, people) -> str:
        await asyncio.sleep(self.stack.args.fault_at)
        self.stack.redis.stop()
        await asyncio.sleep(5)
        await asyncio.to_thread(self.stack.redis.start)
        return "kill -9 the private redis-server, start it again after 5 s (empty: the queue is lost)"

    async def restart_postgres(self, results, people) -> str:
        await asyncio.sleep(self.stack.args.fault_at)
        await asyncio.to_thread(self.stack.postgres.stop, "fast")
        await asyncio.sleep(3)
        await asyncio.to_thread(self.stack.postgres.start)
        return "pg_ctl stop -m fast the private PostgreSQL, start it again after 3 s"

    async def fill_disk(self, results, people) -> str:
        await asyncio.sleep(self.stack.args.fault_at)
        filler = self.stack.folder / "uploads" / "filler"
        with open(filler, "wb") as out:
            try:
                while True:
                    out.write(b"\0" * 65536)
            except OSError:
                pass
        await asyncio.sleep(10)
        filler.unlink()
        return "the 16 MB upload tmpfs filled to the last byte for 10 s, then freed"


FAULT_MIX = (*driver.MIX, ("upload", 5))


def run_fault(stack: Stack, name: str, seed_info) -> tuple[str, driver.Results, str, verify.Integrity]:
    faults = Faults(stack)
    action = getattr(faults, name.replace("-", "_"))
    said: list[str] = []

    async def during(results, people):
        said.append(await action(results, people))

    mix = FAULT_MIX if name == "fill-disk" else driver.MIX
    results = asyncio.run(driver.drive(stack.base, stack.args.fault_users, stack.args.fault_seconds,
                                       seed_info.requester_tokens, seed_info.agent_tokens, mix, during))
    return name, results, said[0] if said else "", settle_and_verify(stack, results, seed_info)


def settle_and_verify(stack: Stack, results: driver.Results, seed_info) -> verify.Integrity:
    """Wait (bounded) until the outbox is delivered and the due clocks swept, then check."""
    deadline = time.monotonic() + stack.args.settle
    swept_at = None
    while time.monotonic() < deadline:
        due, now = verify.sla_due(stack.database_url, seed_info.due_clock_ids)
        if due == 0:
            swept_at = now
            if verify.outbox_open(stack.database_url) == 0:
                break
        time.sleep(1)
    return verify.verify(stack.database_url, results.created, results.unacknowledged, stack.receiver_log,
                         seed_info.due_clock_ids, swept_at)


def fault_table(rows) -> str:
    lines = [f"{'fault':<17} {'ops ok':>7} {'failed':>6} {'retried ok':>10}  bad attempts seen by clients"]
    for name, results, said, integrity in rows:
        bad = ", ".join(f"{op} {what}: {n}" for (op, what), n in sorted(results.attempts_failed.items())) or "none"
        lines.append(f"{name:<17} {sum(results.completed.values()):>7} {sum(results.failed.values()):>6} "
                     f"{sum(results.retried_ok.values()):>10}  {bad}")
        lines.append(f"{'':<17} what: {said}")
        lines += [f"{'':<15}{line}" for line in integrity_lines(integrity)]
        if results.failed:
            lines.append(f"{'':<17} failed for good: {dict(results.failed)}")
    return "\n".join(lines)


# -------------------------------------------------------------------- main

def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--users", default="8,32,64", help="concurrent users per level, comma-separated")
    parser.add_argument("--seconds", type=float, default=60, help="length of each level (0: no load levels)")
    parser.add_argument("--ceiling-seconds", type=float, default=20, help="length of each GET /api/v1/me level")
    parser.add_argument("--think", type=float, default=0.0,
                        help="seconds each user pauses between requests on average in the load levels (0: none, "
                             "a closed loop that finds the ceiling; people at a service desk think for seconds)")
    parser.add_argument("--warmup", type=float, default=10, help="seconds of unmeasured load first")
    parser.add_argument("--no-ceiling", action="store_true", help="skip the GET /api/v1/me levels")
    parser.add_argument("--tickets", type=int, default=100_000, help="tickets present before the load")
    parser.add_argument("--agents", type=int, default=8)
    parser.add_argument("--due-clocks", type=int, default=300, help="SLA clocks that come due during the run")
    parser.add_argument("--faults", default="", help=f"comma-separated, one at a time: {','.join(FAULTS)}")
    parser.add_argument("--fault-users", type=int, default=8)
    parser.add_argument("--fault-seconds", type=float, default=30)
    parser.add_argument("--fault-at", type=float, default=8, help="seconds into a fault's load when it strikes")
    parser.add_argument("--sweep-every", type=int, default=10, help="seconds between SLA sweeps and outbox rounds")
    parser.add_argument("--settle", type=float, default=120, help="at most this long for the outbox and the sweep "
                                                                   "to catch up before the checks")
    parser.add_argument("--database", default=None, help="an empty PostgreSQL database instead of a private one "
                                                         "(restart-postgres is then refused)")
    parser.add_argument("--redis", default=None, help="a Redis URL instead of a private redis-server "
                                                      "(restart-redis is then refused)")
    parser.add_argument("--ports", default="18100-18199", help="the loopback ports the harness may use")
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    args = parser.parse_args(argv)
    args.users = [int(n) for n in args.users.split(",") if n]
    args.faults = [f for f in args.faults.split(",") if f]
    unknown = set(args.faults) - set(FAULTS)
    if unknown:
        parser.error(f"--faults: unknown {sorted(unknown)}; choose from {','.join(FAULTS)}")
    if "restart-redis" in args.faults and args.redis:
        parser.error("--faults restart-redis restarts the harness's own redis-server only: drop --redis")
    if "restart-postgres" in args.faults and args.database:
        parser.error("--faults restart-postgres restarts the harness's own PostgreSQL only: drop --database")
    first, _, last = args.ports.partition("-")
    args.ports = (int(first), int(last or first))
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    started = time.monotonic()

    def say(message: str) -> None:
        print(f"[{time.monotonic() - started:6.1f} s] {message}")

    folder = Path(tempfile.mkdtemp(prefix="gongdan-load-"))
    stack = Stack(args, folder)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally below on `kill` too
    figures: dict = {"conditions": {"cpus": os.cpu_count(), "load_average": os.getloadavg()}}
    ok = True
    try:
        stack.start_databases()
        stack.mount_uploads()
        say("PostgreSQL, Redis and the webhook receiver up")
        level_seconds = args.seconds * len(args.users)
        fault_seconds = (args.fault_seconds + args.settle) * len(args.faults)
        info = seed(stack.database_url, users=max([*args.users, args.fault_users]), agents=args.agents,
                    tickets=args.tickets, receiver_url=f"http://127.0.0.1:{stack.receiver_port}",
                    due_clocks=args.due_clocks, due_within_seconds=max(level_seconds + fault_seconds, 5))
        say(f"seeded {info.tickets:,} tickets, {len(info.due_clock_ids)} SLA clocks coming due, in "
              f"{info.seconds:.1f} s (PostgreSQL {stack.database_url.split('@')[-1]})")
        stack.start_services()
        say(f"stack up: gunicorn {' '.join(unit_command('gongdan-web.service', stack.web_port)[1:])}, "
              f"2 x gongdan worker, gongdan scheduler; Redis {stack.redis_url}; {folder}")
        rows = []
        everything = driver.Results()
        if args.warmup > 0:  # every gunicorn worker imports lazily and compiles the definition on first use
            warm = asyncio.run(driver.drive(stack.base, 8, args.warmup, info.requester_tokens, info.agent_tokens))
            everything.merge(warm)
            say(f"warm-up: {sum(warm.completed.values())} operations in {warm.seconds:.0f} s (not in the tables)")
        if args.seconds > 0:
            for users in args.users:
                results = asyncio.run(driver.drive(stack.base, users, args.seconds, info.requester_tokens,
                                                   info.agent_tokens, think=args.think))
                ceiling = None if args.no_ceiling else asyncio.run(driver.drive(
                    stack.base, users, args.ceiling_seconds, info.requester_tokens, info.agent_tokens,
                    (("me", 1),)))
                rows.append((users, results, ceiling))
                everything.merge(results)
                say(f"{users} users: {sum(results.completed.values()):,} operations in {results.seconds:.0f} s, "
                      f"{sum(results.attempts_failed.values())} bad attempts")
            pause = f"each user pausing {args.think:g} s on average between requests" if args.think else \
                "no think time: each user sends its next request on its answer"
            print(f"\nLoad over HTTP ({pause}; latency of each request; errors = bad attempts)\n" + load_table(rows))
            for example in everything.failures[:5]:
                print("  e.g.", example)
            say("waiting for the outbox and the sweep to catch up")
            integrity = settle_and_verify(stack, everything, info)
            print("\nIntegrity after the load levels")
            print("\n".join(integrity_lines(integrity)))
            ok = integrity.ok and not everything.attempts_failed
            figures["think_seconds"] = args.think
            figures["levels"] = [{"users": users, "seconds": results.seconds, "operations": {
                op: {"count": len(v), "per_second": len(v) / results.seconds, "p50_ms": statistics.median(v) * 1000,
                     "p95_ms": percentile(v, .95) * 1000, "p99_ms": percentile(v, .99) * 1000}
                for op, v in results.latencies.items() if v},
                "bad_attempts": {f"{op} {what}": n for (op, what), n in results.attempts_failed.items()},
                "ceiling_me_per_second": len(ceiling.latencies["me"]) / ceiling.seconds if ceiling else None}
                for users, results, ceiling in rows]
            figures["integrity"] = [check.__dict__ for check in integrity.checks]
        fault_rows = []
        for name in args.faults:
            say(f"fault {name}: {args.fault_users} users for {args.fault_seconds:g} s, striking at "
                  f"{args.fault_at:g} s")
            fault_rows.append(run_fault(stack, name, info))
            everything.merge(fault_rows[-1][1])
        if fault_rows:
            print("\nFaults (each under load; the checks cover every ticket and message so far)\n"
                  + fault_table(fault_rows))
            ok = ok and all(row[3].ok and not row[1].failed for row in fault_rows)
            figures["faults"] = [{"fault": name, "what": said, "completed": sum(r.completed.values()),
                                  "failed": dict(r.failed), "retried_ok": dict(r.retried_ok),
                                  "bad_attempts": {f"{op} {what}": n for (op, what), n in r.attempts_failed.items()},
                                  "integrity": [check.__dict__ for check in integrity.checks]}
                                 for name, r, said, integrity in fault_rows]
        if stack.restarts:
            print("\nrestarted as systemd would: " + "; ".join(stack.restarts))
        figures["restarts"] = stack.restarts
        if args.json:
            Path(args.json).write_text(json.dumps(figures, indent=1, default=str))
    finally:
        stack.stop()
        if ok:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"logs kept in {folder}", file=sys.stderr)
    print("\nresult:", "every check passed, no errors" if ok else "FAILED (see above)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
