"""Ticket creation throughput: the whole API path against a bare SQLAlchemy Core insert.

Creates N tickets (default 10,000) through the API — routing, validation, numbering, events,
JSON in and out, authentication by API token — with P tickets (default 100,000) already in
the table, and inserts the same rows bare with SQLAlchemy Core in the same run (per ticket,
in one transaction as the API does: the ticket, its 'created' and 'assigned' events, its two
SLA clocks and the assignee's inbox row). The two alternate in blocks of 100 tickets, so a
busy moment on the machine weighs on both. Prints tickets/s, p50/p95 latency and the
client's CPU time per ticket of both, and the ratio of their mean times.

The API is driven through Flask's WSGI test client: the full request path (routing,
parsing, auth, services, serialisation) without a socket, so the figure is the server's
own cost, not the client's or the loopback's.

    .venv/bin/python bench/bench_tickets.py                       # SQLite in a temp folder
    .venv/bin/python bench/bench_tickets.py --database postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/bench_tickets.py --tickets 2000 --present 20000   # quicker

The PostgreSQL run drops and re-creates the schema `public` of the database it is given.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from bench.common import fresh_app  # noqa: E402
from platform_core.db import get_session, utcnow  # noqa: E402

EXAMPLE = json.loads((ROOT / "designer" / "format" / "examples" / "it-incident.json").read_text())
BLOCK = 100  # tickets per alternating block of API creates and bare inserts
REGIONS = ["east", "north", "south", "west"]
CATEGORIES = ["hardware", "software", "network", "access"]


def ticket_data(i: int) -> dict:
    category = CATEGORIES[i % 4]
    data = {"title": f"{'server down' if i % 50 == 0 else 'Problem'} number {i}", "category": category,
            "urgency": ["high", "medium", "low"][i % 3], "impact": ["company", "department", "person"][i % 3 - 1],
            "description": f"Something broke, case {i}", "region": REGIONS[i % 4]}
    if category == "hardware":
        data["asset_tag"] = f"PC-{i % 10000:04d}"
    return data


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=None)
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--present", type=int, default=100_000)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="gongdan-bench-"))
    url = args.database or f"sqlite:///{folder}/bench.db"
    app = fresh_app(url, folder)
    with app.app_context():
        session = get_session()
        from designer.drafts import services as designer
        from platform_core.auth import services as auth
        from platform_core.auth.models import User
        from runtime.notify.models import Notification
        from runtime.sla.models import TicketSla
        from runtime.tickets.models import Ticket, TicketEvent, TicketType, TicketTypeVersion

        admin = auth.create_user(session, email="admin@example.com", name="Admin", roles=["admin"], actor_id=None)
        agents = [auth.create_user(session, email=f"agent{i}@example.com", name=f"Agent {i}", roles=["agent"],
                                   actor_id=None) for i in range(6)]
        requester = auth.create_user(session, email="mes@example.com", name="MES", roles=["requester"], actor_id=None)
        for key, members in (("east-senior-ops", agents[:2]), ("network-ops", agents[2:4]), ("service-desk", agents[4:])):
            team = auth.create_team(session, {"key": key, "name": key, "member_ids": [m.id for m in members]},
                                    actor_id=None)
            if key == "east-senior-ops":
                auth.add_shift(session, team, members[0].id, utcnow() - timedelta(hours=1), utcnow() + timedelta(days=7),
                               actor_id=None)
        designer.import_definition(session, EXAMPLE, actor=session.get(User, admin.id), publish_now=True)
        _token, secret = auth.create_token(session, session.get(User, requester.id), "bench")
        ticket_type = session.scalar(select(TicketType))
        version = session.scalar(select(TicketTypeVersion))
        type_id, version_id, requester_id = ticket_type.id, version.id, requester.id

        started = time.perf_counter()
        batch = []
        for i in range(args.present):
            batch.append({"number": f"OLD-{i:07d}", "ticket_type_id": type_id, "type_version_id": version_id,
                          "title": f"Old ticket {i}", "search_text": f"old ticket {i}", "data": ticket_data(i),
                          "status": "closed", "status_category": "closed", "priority": "P3",
                          "requester_id": requester_id, "source": "api", "created_at": utcnow(), "updated_at": utcnow(),
                          "status_changed_at": utcnow(), "row_version": 1})
            if len(batch) == 5000:
                session.execute(insert(Ticket), batch)
                session.commit()
                batch = []
        if batch:
            session.execute(insert(Ticket), batch)
            session.commit()
        print(f"{url.split(':')[0]}: {args.present:,} tickets present (seeded in {time.perf_counter() - started:.1f} s)")

    client = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    engine = app.extensions["gongdan_db"].engine

    def api_create(i: int) -> None:
        response = client.post("/api/v1/tickets", json={"type": "it-incident", "data": ticket_data(i)}, headers=headers)
        if response.status_code != 201:
            raise SystemExit(f"create failed: {response.status_code} {response.json}")

    # The bare path gets the same advantage the API's kept statements have: built once.
    bare_ticket, bare_events = insert(Ticket).returning(Ticket.id), insert(TicketEvent)
    bare_clocks, bare_inbox = insert(TicketSla), insert(Notification)

    def bare_insert(i: int) -> None:
        with engine.begin() as connection:
            now = utcnow()
            ticket_id = connection.execute(bare_ticket, {
                "number": f"BARE-{i:07d}", "ticket_type_id": type_id, "type_version_id": version_id,
                "title": f"Problem number {i}", "search_text": f"problem number {i} something broke, case {i}",
                "data": ticket_data(i), "status": "new", "status_category": "new", "priority": "P3",
                "requester_id": requester_id, "source": "api", "created_at": now, "updated_at": now,
                "status_changed_at": now, "row_version": 1}).scalar_one()
            connection.execute(bare_events, [
                {"ticket_id": ticket_id, "kind": kind, "details": {}, "actor_id": requester_id, "internal": False,
                 "at": now} for kind in ("created", "assigned")])
            connection.execute(bare_clocks, [
                {"ticket_id": ticket_id, "metric": metric, "policy": "Standard", "policy_index": 0,
                 "calendar": "24x7", "target_seconds": 3600, "status": "running", "cycle": 1, "started_at": now,
                 "running_since": now, "elapsed_seconds": 0, "paused_seconds": 0, "due_at": now,
                 "next_check_at": now} for metric in ("response", "resolution")])
            connection.execute(bare_inbox, {"user_id": requester_id, "ticket_id": ticket_id,
                                                      "kind": "assigned", "message": "assigned", "created_at": now})

    for i in range(50):  # warm-up: caches, connection pool, compiled rules
        api_create(i)
        bare_insert(args.tickets + i)
    # The two run in alternating blocks, so that whatever else the machine does in the
    # meantime weighs on both alike and the ratio stays honest.
    times: dict[str, list[float]] = {"api": [], "bare": []}
    cpu = {"api": 0.0, "bare": 0.0}
    for block in range(0, args.tickets, BLOCK):
        for name, step in (("api", api_create), ("bare", bare_insert)):
            c0 = time.process_time()
            for i in range(block, min(block + BLOCK, args.tickets)):
                t0 = time.perf_counter()
                step(i)
                times[name].append(time.perf_counter() - t0)
            cpu[name] += time.process_time() - c0
    api_times, bare_times = times["api"], times["bare"]
    api_total, bare_total = sum(api_times), sum(bare_times)

    def line(name: str, total: float, times: list[float], cpu_seconds: float) -> str:
        return (f"{name:<28} {args.tickets / total:>9,.0f} tickets/s   p50 {statistics.median(times) * 1000:6.2f} ms"
                f"   p95 {percentile(times, 0.95) * 1000:6.2f} ms   client CPU {cpu_seconds / args.tickets * 1000:5.2f} ms")

    print(line("API (POST /api/v1/tickets)", api_total, api_times, cpu["api"]))
    print(line("bare SQLAlchemy Core insert", bare_total, bare_times, cpu["bare"]))
    print(f"API / bare (mean time per ticket): {api_total / bare_total:.2f}x")
    app.extensions["gongdan_db"].engine.dispose()


if __name__ == "__main__":
    main()
