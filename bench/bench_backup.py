"""Backup, restore and /metrics costs: N tickets (default 1,000) created through the API, then one `create_backup`
and one `restore_backup` into a second, empty database (verify, load, recount), a few /metrics scrapes and the
per-request cost of counting a request.

    .venv/bin/python bench/bench_backup.py                       # SQLite in a temp folder
    .venv/bin/python bench/bench_backup.py --database postgresql+psycopg://postgres@127.0.0.1:5432/bench_ops

The PostgreSQL run drops and re-creates the schema `public` of the database it is given, and drops and creates
the database `<name>_restored` beside it (pg_dump and pg_restore must be on PATH).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, make_url, text  # noqa: E402

from bench.common import fresh_app  # noqa: E402
from gongdan import create_app  # noqa: E402
from platform_core import backup, metrics  # noqa: E402
from platform_core.auth import services as auth  # noqa: E402
from platform_core.db import get_session  # noqa: E402

PASSWORD = "bench password 1"
DATA = {"title": "Mail is slow", "category": "software", "urgency": "low", "impact": "company",
        "description": "Mail takes minutes to arrive", "region": "north"}


def _restore_target(url: str, folder: Path) -> str:
    if url.startswith("sqlite"):
        return f"sqlite:///{folder / 'restored.db'}"
    base = make_url(url)
    name = f"{base.database}_restored"
    engine = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default=None)
    parser.add_argument("--tickets", type=int, default=1000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-backup-"))
    url = args.database or f"sqlite:///{folder / 'bench.db'}"
    app = fresh_app(url, folder / "instance", PASSWORD_HASH_TIME_COST=1, PASSWORD_HASH_MEMORY_KIB=1024)
    with app.app_context():
        auth.create_user(get_session(), email="admin@bench.test", name="Admin", roles=["admin"], password=PASSWORD,
                         actor_id=None)
    client = app.test_client()
    login = client.post("/api/v1/auth/login", json={"email": "admin@bench.test", "password": PASSWORD}).json
    headers = {"X-CSRF-Token": login["csrf_token"]}
    if client.post("/api/v1/templates/it-service-desk/install", headers=headers).status_code != 201:
        raise SystemExit("could not install the IT service desk")
    started = time.perf_counter()
    for _ in range(args.tickets):
        if client.post("/api/v1/tickets", json={"type": "it-incident", "data": DATA}, headers=headers).status_code != 201:
            raise SystemExit("a create failed")
    print(f"created {args.tickets} tickets in {time.perf_counter() - started:.1f} s")

    with app.app_context():
        started = time.perf_counter()
        result = backup.create_backup(app, folder / "backups")
        took = time.perf_counter() - started
    rows = sum(result.manifest["counts"]["tables"].values())
    print(f"backup: {took:.2f} s, {result.path.stat().st_size / 1024:.0f} KiB, {rows} rows")
    target = create_app({"TESTING": True, "SECRET_KEY": "bench", "REDIS_URL": None,
                         "DATABASE_URL": _restore_target(url, folder), "INSTANCE_PATH": str(folder / "restored"),
                         "UPLOAD_DIR": str(folder / "restored" / "uploads")})
    started = time.perf_counter()
    backup.restore_backup(target, result.path)
    print(f"restore (verify, load, recount): {time.perf_counter() - started:.2f} s")

    for _ in range(3):
        client.get("/metrics")
    started = time.perf_counter()
    for _ in range(50):
        client.get("/metrics")
    print(f"/metrics scrape (in process): {(time.perf_counter() - started) / 50 * 1000:.1f} ms")
    counted = metrics._m()
    started = time.perf_counter()
    for _ in range(20000):
        counted["requests"].labels("GET", "/api/v1/me", "200").inc()
        counted["latency"].labels("GET", "/api/v1/me").observe(0.01)
    print(f"counting one request: {(time.perf_counter() - started) / 20000 * 1e6:.1f} µs")
    app.extensions["gongdan_db"].engine.dispose()
    target.extensions["gongdan_db"].engine.dispose()


if __name__ == "__main__":
    main()
