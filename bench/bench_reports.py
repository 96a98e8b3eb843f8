"""Each metric of the reports layer over a month, broken down by team, on N generated tickets with events and
SLA clocks: SQLite (default, 100,000 tickets) or PostgreSQL (--database). Prints each metric's time (median of
--runs) and the query plan of the slowest.

    .venv/bin/python bench/bench_reports.py                       # SQLite in a temporary file, 100,000 tickets
    .venv/bin/python bench/bench_reports.py --database postgresql+psycopg://postgres@127.0.0.1:5432/gongdan_bench
    .venv/bin/python bench/bench_reports.py --tickets 1000000 --database ... --http   # and over HTTP

Like bench_sweep.py, one real ticket is filed through the service and the others are copies of its row made by
the database (a recursive CTE, which both databases run), with their times, teams, categories, states,
transition events and SLA clocks varied by their number: 30 % open, 70 % resolved, created over 360 days, four
teams. On PostgreSQL the schema public of the database given is dropped and re-created.
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
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select, text  # noqa: E402

from bench.common import fresh_app  # noqa: E402
from platform_core.db import get_session, utcnow  # noqa: E402

EXAMPLE = json.loads((ROOT / "designer" / "format" / "examples" / "it-incident.json").read_text())
DATA = {"title": "Problem", "category": "software", "urgency": "medium", "impact": "department",
        "description": "Something broke", "region": "north"}
DAY = 86400
HISTORY_DAYS = 360  # a year of history: a month is about a twelfth of the tickets, as in a desk that has run a while


def _sql(dialect: str) -> dict[str, str]:
    """The few expressions that differ: a time k seconds after another, and setting a JSON key."""
    if dialect == "postgresql":
        return {"plus": "({t} + ({k}) * interval '1 second')", "set": "jsonb_set({d}, '{{category}}', to_jsonb({v}::text))"}
    return {"plus": "strftime('%Y-%m-%d %H:%M:%f', {t}, '+' || ({k}) || ' seconds')", "set": "json_set({d}, '$.category', {v})"}


def generate(session, dialect: str, n: int, model_id: int, team_ids: list[int], now) -> None:
    sql = _sql(dialect)

    def plus(t: str, k: str) -> str:
        return sql["plus"].format(t=t, k=k)

    start = "CAST(:start AS TIMESTAMP WITH TIME ZONE)" if dialect == "postgresql" else ":start"
    first = now - timedelta(days=HISTORY_DAYS)
    created = plus(start, f"(CAST(g.n AS BIGINT) * 104729) % {HISTORY_DAYS * DAY}")  # a prime step spreads them
    teams = " ".join(f"WHEN {i} THEN {team}" for i, team in enumerate(team_ids))
    category = "CASE g.n % 4 WHEN 0 THEN 'hardware' WHEN 1 THEN 'software' WHEN 2 THEN 'network' ELSE 'access' END"
    session.execute(text(f"""
        INSERT INTO ticket (number, ticket_type_id, type_version_id, title, search_text, data, status, status_category,
                            status_changed_at, priority, team_id, assignee_id, requester_id, source, created_at,
                            updated_at, first_response_at, resolved_at, row_version)
        WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < :n)
        SELECT 'GEN-' || g.n, t.ticket_type_id, t.type_version_id, t.title, t.search_text,
               {sql["set"].format(d="t.data", v=category)},
               CASE WHEN g.n % 10 < 3 THEN 'in_progress' ELSE 'resolved' END,
               CASE WHEN g.n % 10 < 3 THEN 'open' ELSE 'resolved' END,
               {created}, 'P' || (1 + g.n % 4), CASE g.n % {len(team_ids)} {teams} END, t.assignee_id, t.requester_id,
               'api', {created}, {created}, {plus(created, "60 + g.n % 7200")},
               CASE WHEN g.n % 10 < 3 THEN NULL ELSE {plus(created, "3600 + g.n % 200000")} END, 1
        FROM g, ticket AS t WHERE t.id = :model
    """), {"n": n, "model": model_id, "start": first if dialect == "postgresql" else first.strftime("%Y-%m-%d %H:%M:%S.%f")})
    resolved_number = "CAST(substr(t.number, 5) AS INTEGER)"
    # transition events: new -> in_progress at the first response, in_progress -> resolved at the resolution
    session.execute(text(f"""
        INSERT INTO ticket_event (ticket_id, at, actor_id, kind, internal, details)
        SELECT t.id, t.first_response_at, NULL, 'transitioned', false,
               {"CAST(:start_details AS jsonb)" if dialect == "postgresql" else ":start_details"}
        FROM ticket AS t WHERE t.number LIKE 'GEN-%'
    """), {"start_details": json.dumps({"transition": "start", "from": "new", "to": "in_progress"})})
    session.execute(text(f"""
        INSERT INTO ticket_event (ticket_id, at, actor_id, kind, internal, details)
        SELECT t.id, t.resolved_at, NULL, 'transitioned', false,
               {"CAST(:details AS jsonb)" if dialect == "postgresql" else ":details"}
        FROM ticket AS t WHERE t.number LIKE 'GEN-%' AND t.resolved_at IS NOT NULL
    """), {"details": json.dumps({"transition": "resolve", "from": "in_progress", "to": "resolved"})})
    # the stays those transitions make (as creating and moving a ticket write them): new until the first response,
    # in_progress until the resolution (still open for the open tickets), resolved since
    session.execute(text("""
        INSERT INTO ticket_state_stay (ticket_id, status, entered_at, left_at)
        SELECT t.id, 'new', t.created_at, t.first_response_at FROM ticket AS t WHERE t.number LIKE 'GEN-%'
        UNION ALL
        SELECT t.id, 'in_progress', t.first_response_at, t.resolved_at FROM ticket AS t WHERE t.number LIKE 'GEN-%'
        UNION ALL
        SELECT t.id, 'resolved', t.resolved_at, NULL FROM ticket AS t
        WHERE t.number LIKE 'GEN-%' AND t.resolved_at IS NOT NULL
    """))
    # SLA clocks: the response clock stopped at the first response (breached for one in seven), the resolution
    # clock stopped at the resolution or still running
    session.execute(text(f"""
        INSERT INTO ticket_sla (ticket_id, metric, policy, policy_index, calendar, target_seconds, status, cycle,
                                started_at, running_since, elapsed_seconds, paused_seconds, due_at, breached_at,
                                stopped_at)
        SELECT t.id, 'response', 'Standard', 0, '24x7', 3600, 'stopped', 1, t.created_at, NULL,
               {resolved_number} % 7200, 0, NULL,
               CASE WHEN {resolved_number} % 7 = 0 THEN t.first_response_at END, t.first_response_at
        FROM ticket AS t WHERE t.number LIKE 'GEN-%'
    """))
    session.execute(text(f"""
        INSERT INTO ticket_sla (ticket_id, metric, policy, policy_index, calendar, target_seconds, status, cycle,
                                started_at, running_since, elapsed_seconds, paused_seconds, due_at, breached_at,
                                stopped_at)
        SELECT t.id, 'resolution', 'Standard', 0, '24x7', 86400,
               CASE WHEN t.resolved_at IS NULL THEN 'running' ELSE 'stopped' END, 1, t.created_at,
               CASE WHEN t.resolved_at IS NULL THEN t.created_at END, {resolved_number} % 150000, 0,
               NULL, NULL, t.resolved_at
        FROM ticket AS t WHERE t.number LIKE 'GEN-%'
    """))
    # satisfaction: a CSAT answer (1-5) an hour after resolution for one resolved ticket in three, an NPS answer
    # (0-10) for one in five; a "this solved it" deflection for one ticket in twenty, at its creation
    for kind, every, scores in (("csat", 3, 5), ("nps", 5, 11)):
        session.execute(text(f"""
            INSERT INTO ticket_survey (ticket_id, kind, requested_at, score, answered_at, ticket_type_id, team_id,
                                       agent_id, follow_up)
            SELECT t.id, '{kind}', t.resolved_at, {resolved_number} % {scores} + {1 if kind == "csat" else 0},
                   {plus("t.resolved_at", "3600")}, t.ticket_type_id, t.team_id, t.assignee_id, 'none'
            FROM ticket AS t WHERE t.number LIKE 'GEN-%' AND t.resolved_at IS NOT NULL
              AND {resolved_number} % {every} = 0
        """))
    from runtime.knowledge.models import KnowledgeArticle

    article = KnowledgeArticle(status="published")
    session.add(article)
    session.flush()
    article = article.id
    session.execute(text(f"""
        INSERT INTO knowledge_deflection (article_id, type_key, text, created_at)
        SELECT {article}, 'it-incident', 'printer', t.created_at
        FROM ticket AS t WHERE t.number LIKE 'GEN-%' AND {resolved_number} % 20 = 0
    """))
    session.commit()
    session.execute(text("ANALYZE"))
    session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=None, help="a PostgreSQL URL (its schema public is re-created) or a "
                                                         "SQLite URL; default a temporary SQLite file")
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true",
                        help="re-use the tickets an earlier run generated in --database when there are --tickets of "
                             "them (the database is only migrated to the latest revision); else generate them")
    parser.add_argument("--only", default=None, help="time only these metrics (comma-separated keys)")
    parser.add_argument("--http", action="store_true",
                        help="also time each metric and the managers' default dashboard over HTTP, against "
                             "`gongdan run` (gunicorn, 2 workers) on the same database")
    args = parser.parse_args()
    if args.reuse and not args.database:
        parser.error("--reuse needs --database: a temporary SQLite file is new at each run")
    folder = Path(tempfile.mkdtemp(prefix="gongdan-bench-"))
    url = args.database or f"sqlite:///{folder}/bench.db"
    keep = args.reuse and _generated(url) == args.tickets
    if url.startswith("sqlite:///") and not keep:
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)  # generate into an empty file
    app = fresh_app(url, folder, keep=keep)
    with app.app_context():
        from platform_core.auth import services as auth
        from platform_core.auth.models import User
        from runtime.reports import metrics

        session = get_session()
        dialect = session.get_bind().dialect.name
        started = time.perf_counter()
        if session.scalar(text("SELECT count(*) FROM ticket WHERE number LIKE 'GEN-%'")) == args.tickets:
            now = utcnow()  # the generated times stay where they were: a month ago from now moves by the time since
            admin_id = session.scalar(select(User.id).where(User.email == "admin@example.com"))
            how = "re-used"
        else:
            admin_id, now = _seed(session, dialect, args.tickets)
            how = f"generated in {time.perf_counter() - started:.1f} s"
        events = session.scalar(text("SELECT count(*) FROM ticket_event"))
        print(f"{dialect}: {args.tickets:,} tickets, {events:,} events, {2 * args.tickets:,} SLA clocks ({how})")

        user = session.get(User, admin_id)
        keys = args.only.split(",") if args.only else list(metrics.METRICS)
        query = metrics.MetricQuery(start=now - timedelta(days=30), end=now, now=now, tz=ZoneInfo("Asia/Shanghai"),
                                    by="team")
        timings: dict[str, float] = {}
        print("  wall time (median of the runs); for SQLite, which runs in this process, also this process's CPU "
              "time, which other processes on the machine slow down less")
        for key in keys:
            runs, cpu = [], []
            allowed = metrics.METRICS[key].allowed_by
            by_team = query if not allowed or "team" in allowed else metrics.MetricQuery(
                start=query.start, end=query.end, now=now, tz=query.tz)  # deflections: no team (no ticket yet)
            for _ in range(args.runs):
                t0, c0 = time.perf_counter(), time.process_time()
                result = metrics.compute(session, user, key, by_team)
                runs.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
                session.rollback()
            timings[key] = statistics.median(runs)
            spent = f"  cpu {statistics.median(cpu) * 1000:7.1f} ms" if dialect == "sqlite" else ""
            print(f"  {key:<22} {timings[key] * 1000:8.1f} ms{spent}  ({len(result['rows'])} rows, by team, one month)")
        if not args.only:
            for bucket in ("day",):
                t0 = time.perf_counter()
                metrics.compute(session, user, "created_vs_resolved", metrics.MetricQuery(
                    start=query.start, end=now, now=now, tz=query.tz, by="team", bucket=bucket))
                print(f"  created_vs_resolved by day and team: {(time.perf_counter() - t0) * 1000:.1f} ms")
            _dashboard_in_process(session, user, args.runs)
        slowest = max(timings, key=timings.__getitem__)
        ctx = metrics.Context(session, user, query, metrics.METRICS[slowest])
        statement = metrics.METRICS[slowest].build(ctx)
        compiled = statement.compile(dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True})
        explain = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
        metrics.settle(session)  # the settings compute() runs the query with
        plan = session.execute(text(explain + str(compiled))).all()
        session.rollback()
        print(f"plan of the slowest, {slowest}:")
        for row in plan:
            print("   ", row[-1] if dialect == "sqlite" else row[0])
        if args.http:
            _token, secret = auth.create_token(session, user, "bench")
            session.commit()
    if args.http:
        over_http(url, folder, secret, now, args.runs, keys)


def _generated(url: str) -> int | None:
    """How many generated tickets the database at ``url`` holds (None: none, or no schema yet)."""
    from sqlalchemy import create_engine
    from sqlalchemy.exc import DBAPIError

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(text("SELECT count(*) FROM ticket WHERE number LIKE 'GEN-%'"))
    except DBAPIError:
        return None
    finally:
        engine.dispose()


def _seed(session, dialect: str, tickets: int):
    """Users, four teams, the IT incident type, one real ticket and ``tickets`` generated ones; (admin id, now)."""
    from designer.drafts import services as designer
    from platform_core.auth import services as auth
    from platform_core.auth.models import User
    from runtime.tickets.services import create_ticket

    admin = auth.create_user(session, email="admin@example.com", name="Admin", roles=["admin"], actor_id=None)
    agent = auth.create_user(session, email="agent@example.com", name="Agent", roles=["agent"], actor_id=None)
    requester = auth.create_user(session, email="mes@example.com", name="MES", roles=["requester"], actor_id=None)
    team_ids = []
    for key in ("service-desk", "network-ops", "field-east", "field-west"):
        team = auth.create_team(session, {"key": key, "name": key.replace("-", " ").title(),
                                          "member_ids": [agent.id]}, actor_id=None)
        team_ids.append(team.id)
    designer.import_definition(session, EXAMPLE, actor=session.get(User, admin.id), publish_now=True)
    model, _ = create_ticket(session, session.get(User, requester.id), {"type": "it-incident", "data": DATA})
    now = utcnow()
    generate(session, dialect, tickets, model.id, team_ids, now)
    return admin.id, now


def _dashboard_in_process(session, user, runs: int) -> None:
    """The admin's built-in dashboard in process: each tile's time (figure included), one after the other."""
    from runtime.dashboards import services as dashboards

    board = dashboards.builtin_default(session, user, "en")
    total = []
    each: dict[str, list[float]] = {tile["id"]: [] for tile in board["tiles"]}
    for _ in range(runs):
        t0 = time.perf_counter()
        for tile in board["tiles"]:
            t1 = time.perf_counter()
            dashboards.tile_data(session, user, board["id"], tile["id"], "en")
            each[tile["id"]].append(time.perf_counter() - t1)
            session.rollback()
        total.append(time.perf_counter() - t0)
    print(f"  dashboard '{board['name']}' in process, its {len(each)} tiles one after the other: "
          f"{statistics.median(total) * 1000:.0f} ms; by tile: "
          + ", ".join(f"{key} {statistics.median(times) * 1000:.0f}" for key, times in each.items()))


def over_http(url: str, folder: Path, secret: str, now, runs: int, keys: list[str]) -> None:
    """Each metric over a month by team, then the admin's built-in dashboard (its tiles fetched at once, as the
    page does: six connections, like a browser), over real HTTP; medians of ``runs``."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from bench.serving import gongdan_run
    from runtime.reports import metrics

    month = {"from": (now - timedelta(days=30)).isoformat(), "to": now.isoformat(), "by": "team",
             "tz": "Asia/Shanghai"}
    headers = {"Authorization": f"Bearer {secret}"}
    with gongdan_run(url, folder) as base, httpx.Client(base_url=base, headers=headers, timeout=120) as client:
        print(f"over HTTP ({base}, gunicorn with 2 workers; the client on the same machine; a running server: "
              "each request made once before it is timed, so both workers have imported what it needs):")
        for key in keys:
            params = {k: v for k, v in month.items() if metrics.METRICS[key].uses_range or k in ("by", "tz")}
            if metrics.METRICS[key].allowed_by and "team" not in metrics.METRICS[key].allowed_by:
                params.pop("by")
            times = []
            for _ in range(2):
                client.get(f"/api/v1/reports/metrics/{key}", params=params)
            for _ in range(runs):
                t0 = time.perf_counter()
                response = client.get(f"/api/v1/reports/metrics/{key}", params=params)
                times.append(time.perf_counter() - t0)
                assert response.status_code == 200, (key, response.status_code, response.text[:300])
            print(f"  {key:<26} {statistics.median(times) * 1000:8.1f} ms")
        board = client.get("/api/v1/reports/dashboards").json()["items"][0]
        tiles = [tile["id"] for tile in board["tiles"]]

        def tile(tile_id: str) -> float:
            t0 = time.perf_counter()
            response = client.get(f"/api/v1/reports/dashboards/{board['id']}/tiles/{tile_id}")
            assert response.status_code == 200, (tile_id, response.status_code, response.text[:300])
            return time.perf_counter() - t0

        walls, slowest = [], []
        with ThreadPoolExecutor(max_workers=6) as pool:
            list(pool.map(tile, tiles))  # once before timing (both workers: plotly's figure code is imported lazily)
            for _ in range(runs):
                t0 = time.perf_counter()
                each = list(pool.map(tile, tiles))
                walls.append(time.perf_counter() - t0)
                slowest.append(max(each))
        print(f"  dashboard '{board['name']}' ({len(tiles)} tiles, 6 at a time): "
              f"{statistics.median(walls) * 1000:.0f} ms until the last tile (slowest tile "
              f"{statistics.median(slowest) * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
