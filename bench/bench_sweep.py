"""The SLA sweep with 1,000,000 open tickets: its cost follows the due work, not the table.

Generates N open tickets (default 1,000,000) with two running SLA clocks each, none due,
plus a few hundred `elapsed` automation timers in the future — in the database, with
generate_series — then times `runtime.sla.sweep.sweep()` with nothing due (the every-minute
case), and again with D clocks due (default 100) so the cost of real work shows beside it.
It prints the query plan of the "what is due" query, which must be an index scan.

    .venv/bin/python bench/bench_sweep.py --database postgresql+psycopg://postgres@127.0.0.1:5432/gongdan_bench
    .venv/bin/python bench/bench_sweep.py --database ... --tickets 100000   # quicker

PostgreSQL only (the issue's goal is stated there); it drops and re-creates the schema
`public` of the database it is given.
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

from sqlalchemy import select, text  # noqa: E402

from bench.common import copy_open_tickets  # noqa: E402
from gongdan import create_app  # noqa: E402
from platform_core import migrate  # noqa: E402
from platform_core.db import get_session, utcnow  # noqa: E402

EXAMPLE = json.loads((ROOT / "designer" / "format" / "examples" / "it-incident.json").read_text())
DATA = {"title": "Problem", "category": "software", "urgency": "medium", "impact": "department",
        "description": "Something broke", "region": "north"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="a PostgreSQL URL (its schema public is re-created)")
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=100)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if not args.database.startswith("postgresql"):
        raise SystemExit("bench_sweep.py runs on PostgreSQL: pass --database postgresql+psycopg://...")

    folder = Path(tempfile.mkdtemp(prefix="gongdan-bench-"))
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DATABASE_URL": args.database, "REDIS_URL": None,
                      "INSTANCE_PATH": str(folder), "UPLOAD_DIR": str(folder / "uploads")})
    with app.app_context():
        session = get_session()
        session.execute(text("DROP SCHEMA public CASCADE"))
        session.execute(text("CREATE SCHEMA public"))
        session.commit()
        migrate.upgrade()
        from designer.drafts import services as designer
        from platform_core.auth import services as auth
        from platform_core.auth.models import User
        from runtime.sla.models import TicketSla
        from runtime.sla.sweep import sweep
        from runtime.tickets.models import Ticket
        from runtime.tickets.services import create_ticket

        admin = auth.create_user(session, email="admin@example.com", name="Admin", roles=["admin"], actor_id=None)
        agent = auth.create_user(session, email="agent@example.com", name="Agent", roles=["agent"], actor_id=None)
        requester = auth.create_user(session, email="mes@example.com", name="MES", roles=["requester"], actor_id=None)
        auth.create_team(session, {"key": "service-desk", "name": "Service desk", "member_ids": [agent.id]}, actor_id=None)
        designer.import_definition(session, EXAMPLE, actor=session.get(User, admin.id), publish_now=True)
        # one real ticket through the service: its row and clocks are the model for the generated ones
        model, _ = create_ticket(session, session.get(User, requester.id), {"type": "it-incident", "data": DATA})
        model_id = model.id

        started = time.perf_counter()
        now = utcnow()
        copy_open_tickets(session, model_id, args.tickets, now)
        session.execute(text("""
            INSERT INTO ticket_timer (ticket_id, kind, ref, due_at)
            SELECT t.id, 'elapsed', '{"index": 0, "name": "Nudge on silence", "state": "waiting"}',
                   :now + interval '2 days'
            FROM ticket AS t WHERE t.number LIKE 'GEN-%' AND t.id % 2000 = 0
        """), {"now": now})
        session.commit()
        session.execute(text("ANALYZE"))
        session.commit()
        open_tickets = session.scalar(select(text("count(*)")).select_from(Ticket.__table__)
                                      .where(Ticket.status_category == "open"))
        clocks = session.scalar(select(text("count(*)")).select_from(TicketSla.__table__))
        print(f"postgresql: {open_tickets:,} open tickets, {clocks:,} running SLA clocks "
              f"(generated in {time.perf_counter() - started:.1f} s)")

        plan = session.execute(text("EXPLAIN SELECT ticket_id FROM ticket_sla WHERE next_check_at <= :now "
                                    "ORDER BY next_check_at LIMIT 200"), {"now": utcnow()}).scalars().all()
        print("plan of 'what is due':", " / ".join(line.strip() for line in plan))

        sweep(session)  # warm-up: connection, caches
        idle = []
        for _ in range(args.runs):
            report = sweep(session)
            assert report.fired == [] and report.timers == 0, report.as_dict()
            idle.append(report.ms)
        print(f"sweep with nothing due, {args.runs} runs: median {statistics.median(idle):.2f} ms, "
              f"max {max(idle):.2f} ms (goal: under 100 ms)")

        # make D tickets' response clocks due now, and sweep once: the work is D tickets, not the table
        session.execute(text("""
            UPDATE ticket_sla SET due_at = :due, next_check_at = :due, running_since = :start, started_at = :start
            WHERE id IN (SELECT id FROM ticket_sla WHERE metric = 'response' ORDER BY id LIMIT :d)
        """), {"due": utcnow() - timedelta(minutes=1), "start": utcnow() - timedelta(days=1), "d": args.due})
        session.commit()
        report = sweep(session)
        print(f"sweep with {args.due} clocks due: {report.ms:.1f} ms, {len(report.fired)} marks fired on "
              f"{report.tickets} tickets ({report.ms / max(report.tickets, 1):.2f} ms per ticket)")
        report = sweep(session)
        print(f"the sweep after it: {report.ms:.2f} ms, {len(report.fired)} marks fired")


if __name__ == "__main__":
    main()
