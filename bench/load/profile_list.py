"""Where a page of 25 tickets spends its time, beside a create: in process, under cProfile.

Seeds the load harness's data (bench/load/seed.py: N tickets copied by SQL, agents in every team) into the
PostgreSQL database it is given — its schema ``public`` is dropped and re-created — then times R agent lists
(``GET /api/v1/tickets?limit=25``) and R portal creates through Flask's test client (the whole request path without
a socket), prints their medians, the SQL statements each runs, and the functions that take the most time.

    .venv/bin/python -m bench.load.profile_list --database postgresql+psycopg://postgres@127.0.0.1:5432/bench_x
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import time
import uuid

from sqlalchemy import create_engine, event, text

from bench.load.seed import DATA, seed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--redis", default=None,
                        help="a Redis database for the jobs a create enqueues (they stay queued; without it they run "
                             "inline in the request, as no deployment with workers does)")
    parser.add_argument("--no-seed", action="store_true", help="the database already holds a seed")
    args = parser.parse_args()
    if not args.no_seed:
        engine = create_engine(args.database)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        info = seed(args.database, users=2, agents=8, tickets=args.tickets, receiver_url="http://127.0.0.1:9",
                    due_clocks=0, due_within_seconds=1)
        print(f"seeded {info.tickets:,} tickets in {info.seconds:.1f} s")

    from gongdan import create_app
    from platform_core.auth import services as auth
    from platform_core.auth.models import User
    from platform_core.db import get_session

    app = create_app({"SECRET_KEY": "profile", "DATABASE_URL": args.database, "REDIS_URL": args.redis,
                      "INSTANCE_PATH": "/tmp/gongdan-profile-list", "OUTBOUND_ALLOW": "127.0.0.1"})
    with app.app_context():
        session = get_session()
        agent = session.scalar(text("SELECT id FROM user_account WHERE email = 'agent0@load.test'"))
        requester = session.scalar(text("SELECT id FROM user_account WHERE email = 'user1@load.test'"))
        agent_token = auth.create_token(session, session.get(User, agent), "profile")[1]
        requester_token = auth.create_token(session, session.get(User, requester), "profile")[1]
    client = app.test_client()
    statements: list[str] = []
    event.listen(app.extensions["gongdan_db"].engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *rest: statements.append(statement))

    def list_page() -> None:
        response = client.get("/api/v1/tickets?limit=25", headers={"Authorization": f"Bearer {agent_token}"})
        assert response.status_code == 200 and len(response.json["items"]) == 25, response.json

    def create() -> None:
        response = client.post("/api/v1/tickets", json={"type": "it-incident", "data": DATA},
                               headers={"Authorization": f"Bearer {requester_token}",
                                        "Idempotency-Key": uuid.uuid4().hex})
        assert response.status_code == 201, response.json

    for name, step in (("list of 25", list_page), ("create", create)):
        for _ in range(20):
            step()
        statements.clear()
        step()
        print(f"{name}: {len(statements)} SQL statements")
        for statement in statements:
            print("   ", " ".join(statement.split())[:160])
        times = []
        cpu = time.process_time()
        for _ in range(args.repeat):
            started = time.perf_counter()
            step()
            times.append(time.perf_counter() - started)
        cpu = (time.process_time() - cpu) / args.repeat
        print(f"{name}: median {statistics.median(times) * 1000:.2f} ms, CPU of this process "
              f"{cpu * 1000:.2f} ms per request, over {args.repeat}")
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.repeat):
            step()
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
        print(out.getvalue())
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
