"""Intake throughput in an alarm storm: N identical alarms (default 2,000) posted to one endpoint — one ticket,
then N-1 repeats counted on it — and M distinct alarms (default 500), each a new ticket, for comparison.

Drives the API through Flask's WSGI test client (routing, the endpoint's token, the rate check, the mapping,
validation, the locked alarm row, the history event, the log line, JSON out) without a socket. With --threads T
it also posts a storm from T threads at once over a real HTTP server (werkzeug, threaded) and checks that it
made exactly one ticket. Prints calls/s and p50/p95 latency; --profile prints where a repeat's time goes.

    .venv/bin/python bench/bench_intake.py                       # SQLite in a temp folder
    .venv/bin/python bench/bench_intake.py --database postgresql+psycopg://postgres@127.0.0.1:5432/test --threads 8

The PostgreSQL run drops and re-creates the schema `public` of the database it is given.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import logging
import pstats
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from bench.common import fresh_app  # noqa: E402
from platform_core.auth import services as auth  # noqa: E402
from platform_core.db import get_session  # noqa: E402
from runtime.tickets.models import Ticket  # noqa: E402

EXAMPLE = json.loads((ROOT / "designer" / "format" / "examples" / "it-incident.json").read_text())
MAPPING = {"title": {"cat": ["Alarm ", {"var": "code"}, " on ", {"var": "machine"}]}, "category": "hardware",
           "urgency": {"if": [{">=": [{"var": "severity"}, 3]}, "high", "low"]}, "impact": "department",
           "description": {"var": "message"}, "asset_tag": {"var": "asset"}}
ALARM = {"machine": "CNC-07", "code": "E42", "severity": 4, "message": "Spindle overheating", "asset": "CN-0007"}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(name: str, timings: list[float]) -> None:
    total = sum(timings)
    print(f"{name:<34} {len(timings):>6} calls  {len(timings) / total:>7.0f} calls/s  "
          f"p50 {statistics.median(timings) * 1000:6.2f} ms  p95 {percentile(timings, 0.95) * 1000:6.2f} ms")


def setup(url: str, folder: Path):
    app = fresh_app(url, folder)
    with app.app_context():
        session = get_session()
        auth.create_user(session, email="admin@example.com", name="Admin", roles=["admin"], password="bench-password",
                         actor_id=None)
        auth.create_user(session, email="mes@example.com", name="MES", roles=["requester"], password=None,
                         actor_id=None)
    client = app.test_client()
    assert client.post("/api/v1/auth/login", json={"email": "admin@example.com", "password": "bench-password"}).status_code == 200
    csrf = client.get("/api/v1/me").json["csrf_token"]
    headers = {"X-CSRF-Token": csrf}
    assert client.post("/api/v1/ticket-types/import", json=EXAMPLE, headers=headers).status_code == 201
    tokens = {}
    for key, dedup in (("storm", {"cat": [{"var": "machine"}, "|", {"var": "code"}]}), ("distinct", None)):
        created = client.post("/api/v1/intake-endpoints", headers=headers, json={
            "key": key, "name": key, "ticket_type": "it-incident", "requester": "mes@example.com",
            "auth_mode": "token", "mapping": MAPPING, "dedup_key": dedup, "rate_per_minute": 100_000})
        assert created.status_code == 201, created.json
        tokens[key] = created.json["secret"]
    return app, tokens


def tickets(app) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(Ticket))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=None)
    parser.add_argument("--storm", type=int, default=2000)
    parser.add_argument("--distinct", type=int, default=500)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="gongdan-bench-intake-"))
    url = args.database or f"sqlite:///{folder}/bench.db"
    app, tokens = setup(url, folder)
    client = app.test_client()
    print(f"database: {url.split(':')[0]}")

    def send(key: str, payload: dict) -> float:
        started = time.perf_counter()
        response = client.post(f"/api/v1/intake/{key}", json=payload, headers={"Authorization": f"Bearer {tokens[key]}"})
        elapsed = time.perf_counter() - started
        assert response.status_code in (200, 201), response.json
        return elapsed

    report("storm (1 ticket, repeats counted)", [send("storm", ALARM) for _ in range(args.storm)])
    assert tickets(app) == 1, tickets(app)
    report("distinct alarms (a ticket each)",
           [send("distinct", {**ALARM, "machine": f"M-{i}"}) for i in range(args.distinct)])
    assert tickets(app) == 1 + args.distinct

    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(200):
            send("storm", ALARM)
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)

    if args.threads:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
        server = make_server("127.0.0.1", 0, app, threaded=True)
        runner = threading.Thread(target=server.serve_forever, daemon=True)
        runner.start()
        address = f"http://127.0.0.1:{server.server_port}/api/v1/intake/storm"
        payload = {**ALARM, "code": "E99"}  # a new alarm: the first calls race to create its ticket
        per_thread = max(1, args.storm // 4 // args.threads)
        timings: list[float] = []
        statuses: list[int] = []
        lock = threading.Lock()

        def storm() -> None:
            with httpx.Client(timeout=30) as http:
                for _ in range(per_thread):
                    started = time.perf_counter()
                    response = http.post(address, json=payload, headers={"Authorization": f"Bearer {tokens['storm']}"})
                    with lock:
                        timings.append(time.perf_counter() - started)
                        statuses.append(response.status_code)

        before = tickets(app)
        threads = [threading.Thread(target=storm) for _ in range(args.threads)]
        wall = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - wall
        server.shutdown()
        made = tickets(app) - before
        print(f"{args.threads} threads over HTTP: {len(statuses)} calls in {wall:.1f} s = {len(statuses) / wall:.0f} calls/s, "
              f"p50 {statistics.median(timings) * 1000:.1f} ms, p95 {percentile(timings, 0.95) * 1000:.1f} ms; "
              f"statuses {sorted(set(statuses))}; tickets made: {made}")
        assert made == 1 and set(statuses) <= {200, 201}


if __name__ == "__main__":
    main()
