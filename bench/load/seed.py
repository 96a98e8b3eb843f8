"""The data the load runs against, written in process before the web processes start.

People: an admin, agents who are members of every team the IT incident example routes to (so an agent's list
is the whole open backlog), one requester per simulated user; each has an API token. The ticket type is the
IT incident example plus two automations that call a webhook receiver of the harness on every create and every
transition, so the outbox carries real deliveries to count. Then one ticket through the service and
``tickets - 1`` copies of it by SQL (as bench/bench_sweep.py does), each with two running SLA clocks, a few
hundred of which come due while the load runs, so the sweep has real marks to fire.
"""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

from bench.common import copy_open_tickets
from bench.load.stack import ROOT

EXAMPLE = json.loads((ROOT / "designer" / "format" / "examples" / "it-incident.json").read_text())
TEAMS = ("east-senior-ops", "network-ops", "service-desk")
WEBHOOK_SECRET = "load-receiver-secret-0123456789"
DATA = {"title": "Problem", "category": "software", "urgency": "medium", "impact": "department",
        "description": "Something broke", "region": "north"}


@dataclass
class Seeded:
    agent_tokens: list[str] = field(default_factory=list)
    requester_tokens: list[str] = field(default_factory=list)
    admin_token: str = ""
    tickets: int = 0
    due_clock_ids: list[int] = field(default_factory=list)
    due_until: str = ""
    seconds: float = 0.0


def definition(receiver_url: str) -> dict:
    document = copy.deepcopy(EXAMPLE)
    document["automations"] = [*document.get("automations", []),
                               {"name": "Tell the load receiver on create", "on": "created",
                                "do": [{"do": "webhook", "url": f"{receiver_url}/created", "secret": "load"}]},
                               {"name": "Tell the load receiver on transition", "on": "transitioned",
                                "do": [{"do": "webhook", "url": f"{receiver_url}/transitioned", "secret": "load"}]}]
    return document


def seed(database_url: str, *, users: int, agents: int, tickets: int, receiver_url: str, due_clocks: int,
         due_within_seconds: float) -> Seeded:
    """Migrate ``database_url`` (empty) and fill it; ``due_clocks`` clocks get their warnings, breach and first
    escalation due over the next ``due_within_seconds``."""
    from gongdan import create_app
    from platform_core import migrate
    from platform_core.db import get_session, utcnow

    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="gongdan-load-seed-"))
    app = create_app({"SECRET_KEY": "load-seed", "DATABASE_URL": database_url, "REDIS_URL": None,
                      "INSTANCE_PATH": str(folder), "UPLOAD_DIR": str(folder / "uploads"),
                      "OUTBOUND_ALLOW": "127.0.0.1"})
    out = Seeded()
    with app.app_context():
        session = get_session()
        migrate.upgrade()
        from designer.drafts import services as designer
        from platform_core.auth import services as auth
        from platform_core.auth.models import User
        from runtime.notify import endpoints
        from runtime.tickets.services import create_ticket

        admin = auth.create_user(session, email="admin@load.test", name="Admin", roles=["admin"], actor_id=None)
        staff = [auth.create_user(session, email=f"agent{i}@load.test", name=f"Agent {i}", roles=["agent"],
                                  actor_id=None) for i in range(agents)]
        for key in TEAMS:
            auth.create_team(session, {"key": key, "name": key, "member_ids": [a.id for a in staff],
                                       "supervisor_id": staff[0].id}, actor_id=None)
        requesters = [auth.create_user(session, email=f"user{i}@load.test", name=f"User {i}", roles=["requester"],
                                       actor_id=None) for i in range(users)]
        endpoints.create_webhook_secret(session, "load", WEBHOOK_SECRET, actor_id=admin.id)
        designer.import_definition(session, definition(receiver_url), actor=session.get(User, admin.id),
                                   publish_now=True)
        out.admin_token = auth.create_token(session, session.get(User, admin.id), "load")[1]
        out.agent_tokens = [auth.create_token(session, session.get(User, a.id), "load")[1] for a in staff]
        out.requester_tokens = [auth.create_token(session, session.get(User, r.id), "load")[1] for r in requesters]
        # one real ticket through the service: its row and clocks are the model for the copies
        model, _ = create_ticket(session, session.get(User, requesters[0].id), {"type": "it-incident", "data": DATA})
        model_id = model.id
        session.commit()
        now = utcnow()
        copy_open_tickets(session, model_id, max(tickets - 1, 0), now)
        # Clocks that come due during the run: a 1-day response target that started a day before the moment
        # each is due, spread evenly over the run; the warnings, the breach and the first escalation are all due
        # at that moment, and the sweep must fire each exactly once.
        window = max(due_within_seconds, 1.0)
        out.due_clock_ids = session.scalars(text("""
            WITH chosen AS (
                SELECT s.id, row_number() OVER (ORDER BY s.id) AS k
                FROM ticket_sla AS s JOIN ticket AS t ON t.id = s.ticket_id
                WHERE s.metric = 'response' AND t.number LIKE 'GEN-%' ORDER BY s.id LIMIT :d)
            UPDATE ticket_sla AS s
            SET started_at = :now - interval '1 day' + c.k * :step * interval '1 second',
                running_since = :now - interval '1 day' + c.k * :step * interval '1 second',
                due_at = :now + c.k * :step * interval '1 second',
                next_check_at = :now + c.k * :step * interval '1 second'
            FROM chosen AS c WHERE s.id = c.id RETURNING s.id
        """), {"now": now, "d": due_clocks, "step": window / max(due_clocks, 1)}).all()
        session.commit()
        session.execute(text("ANALYZE"))
        session.commit()
        out.tickets = session.scalar(text("SELECT count(*) FROM ticket"))
        out.due_until = (now + timedelta(seconds=window)).isoformat()
    app.extensions["gongdan_db"].engine.dispose()
    shutil.rmtree(folder, ignore_errors=True)
    out.seconds = time.perf_counter() - started
    return out
