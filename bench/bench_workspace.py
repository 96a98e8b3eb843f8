"""The agent workspace's queues with 100,000 tickets: GET /api/v1/tickets as an agent sees it.

Seeds P tickets (default 100,000) spread over three teams, six agents, five status categories,
four priorities and SLA due times, then times each queue the workspace shows (my tickets, my
teams, unassigned, breaching soon, a word search, sorted by priority or last update; newest first
unless said), first page and page 20
(following the keyset cursors), through the whole API path (token auth, visibility filter,
serialisation) with Flask's test client, and prints the median and p95 of each.

    .venv/bin/python bench/bench_workspace.py                     # SQLite in a temp folder
    .venv/bin/python bench/bench_workspace.py --database postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/bench_workspace.py --present 20000 --repeat 5   # quicker

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
CATEGORIES = [("new", "new"), ("assigned", "open"), ("in_progress", "open"), ("waiting", "pending"), ("closed", "closed")]
WORDS = ["printer", "laptop", "vpn", "mail", "server", "badge", "monitor", "wifi"]

QUEUES = {
    "my tickets": {"assignee": "me"},
    "my teams": {"team": "mine"},
    "unassigned": {"assignee": "none"},
    "breaching soon": {"sla_due_before": None, "sort": "sla_due"},
    "search 'printer'": {"q": "printer"},
    "my teams by priority": {"team": "mine", "sort": "priority"},
    "my teams by last update": {"team": "mine", "sort": "-updated_at"},
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=None)
    parser.add_argument("--present", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="gongdan-bench-"))
    url = args.database or f"sqlite:///{folder}/bench.db"
    app = fresh_app(url, folder)
    with app.app_context():
        session = get_session()
        from designer.drafts import services as designer
        from platform_core.auth import services as auth
        from platform_core.auth.models import User
        from runtime.tickets.models import Ticket, TicketType, TicketTypeVersion

        admin = auth.create_user(session, email="admin@example.com", name="Admin", roles=["admin"], actor_id=None)
        agents = [auth.create_user(session, email=f"agent{i}@example.com", name=f"Agent {i}", roles=["agent"],
                                   actor_id=None) for i in range(6)]
        requesters = [auth.create_user(session, email=f"user{i}@example.com", name=f"User {i}", roles=["requester"],
                                       actor_id=None) for i in range(50)]
        teams = [auth.create_team(session, {"key": key, "name": key, "member_ids": [m.id for m in members]},
                                  actor_id=None)
                 for key, members in (("east-senior-ops", agents[:2]), ("network-ops", agents[2:4]),
                                      ("service-desk", agents[4:]))]
        designer.import_definition(session, EXAMPLE, actor=session.get(User, admin.id), publish_now=True)
        _token, secret = auth.create_token(session, session.get(User, agents[4].id), "bench")
        type_id = session.scalar(select(TicketType.id))
        version_id = session.scalar(select(TicketTypeVersion.id))
        team_ids = [team.id for team in teams]
        members = {team.id: [m.id for m in team.members] for team in teams}
        requester_ids = [r.id for r in requesters]

        started = time.perf_counter()
        now = utcnow()
        batch = []
        for i in range(args.present):
            status, category = CATEGORIES[i % 5]
            team_id = team_ids[i % 3]
            assignee = None if i % 7 == 0 else members[team_id][i % 2]
            word = WORDS[i % len(WORDS)]
            at = now - timedelta(minutes=args.present - i)
            batch.append({"number": f"INC-{i + 1:07d}", "ticket_type_id": type_id, "type_version_id": version_id,
                          "title": f"The {word} fails, case {i}", "search_text": f"the {word} fails, case {i}",
                          "data": {"title": f"The {word} fails, case {i}"}, "status": status,
                          "status_category": category, "priority": f"P{i % 4 + 1}", "team_id": team_id,
                          "assignee_id": assignee, "requester_id": requester_ids[i % len(requester_ids)],
                          "source": "api", "created_at": at, "updated_at": at, "status_changed_at": at,
                          "sla_due_at": None if category == "closed" else at + timedelta(hours=8),
                          "row_version": 1})
            if len(batch) == 5000:
                session.execute(insert(Ticket), batch)
                session.commit()
                batch = []
        if batch:
            session.execute(insert(Ticket), batch)
            session.commit()
        print(f"{url.split(':')[0]}: {args.present:,} tickets (seeded in {time.perf_counter() - started:.1f} s); "
              f"times for agent4 (service-desk), {args.repeat} runs each")

    client = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}

    def fetch(query: dict, pages: int) -> tuple[float, int]:
        t0 = time.perf_counter()
        cursor, count = None, 0
        for _ in range(pages):
            page = {**query, "limit": 25, **({"cursor": cursor} if cursor else {})}
            response = client.get("/api/v1/tickets", query_string=page, headers=headers)
            assert response.status_code == 200, response.json
            count += len(response.json["items"])
            cursor = response.json["next_cursor"]
            if cursor is None:
                break
        return time.perf_counter() - t0, count

    print(f"{'queue':<24} {'page 1 p50':>11} {'p95':>8}   {'pages 1-20 p50':>15} {'p95':>8}   rows")
    for name, base in QUEUES.items():
        query = {k: v for k, v in base.items() if v is not None}
        if "sla_due_before" in base:
            query["sla_due_before"] = (utcnow() + timedelta(hours=2)).isoformat()
        fetch(query, 1)  # warm-up
        first = [fetch(query, 1)[0] for _ in range(args.repeat)]
        deep = []
        rows = 0
        for _ in range(max(1, args.repeat // 4)):
            elapsed, rows = fetch(query, 20)
            deep.append(elapsed)
        print(f"{name:<24} {statistics.median(first) * 1000:>8.1f} ms {percentile(first, 0.95) * 1000:>5.1f} ms"
              f"   {statistics.median(deep) * 1000:>12.1f} ms {percentile(deep, 0.95) * 1000:>5.1f} ms   {rows}")
    app.extensions["gongdan_db"].engine.dispose()


if __name__ == "__main__":
    main()
