"""What every benchmark starts from: the application on a fresh, migrated database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import text
from sqlalchemy.orm import Session

from gongdan import create_app
from platform_core import migrate
from platform_core.db import get_session


def fresh_app(url: str, folder: Path, *, keep: bool = False, **config: Any) -> Flask:
    """The app on ``url`` (SQLite file or PostgreSQL), migrated from empty; on PostgreSQL the schema `public` is
    dropped and re-created first (unless ``keep``: then the database is only migrated to the latest revision, for
    a bench that re-uses what an earlier run generated). No Redis: jobs run inline."""
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DATABASE_URL": url, "REDIS_URL": None,
                      "INSTANCE_PATH": str(folder), "UPLOAD_DIR": str(folder / "uploads"), **config})
    with app.app_context():
        session = get_session()
        if url.startswith("postgresql") and not keep:
            session.execute(text("DROP SCHEMA public CASCADE"))
            session.execute(text("CREATE SCHEMA public"))
            session.commit()
        migrate.upgrade()
    return app


def copy_open_tickets(session: Session, model_id: int, count: int, now: Any) -> None:
    """``count`` open copies of ticket ``model_id``, numbered GEN-0000001…, created over the last few days, with its
    two SLA clocks running (none due within the hour) — in the database, with generate_series. PostgreSQL only."""
    session.execute(text("""
        INSERT INTO ticket (number, ticket_type_id, type_version_id, title, search_text, data, status,
                            status_category, status_changed_at, priority, team_id, assignee_id, requester_id,
                            source, created_at, updated_at, row_version, sla_due_at)
        SELECT 'GEN-' || lpad(g::text, 7, '0'), t.ticket_type_id, t.type_version_id, t.title, t.search_text,
               t.data, 'in_progress', 'open', :now, t.priority, t.team_id, t.assignee_id, t.requester_id,
               'api', :now - (g % 5000) * interval '1 minute', :now, 1,
               :now + interval '1 hour' + (g % 20000) * interval '1 minute'
        FROM generate_series(1, :n) AS g, ticket AS t WHERE t.id = :model
    """), {"now": now, "n": count, "model": model_id})
    session.execute(text("""
        INSERT INTO ticket_sla (ticket_id, metric, policy, policy_index, calendar, target_seconds, status, cycle,
                                started_at, running_since, elapsed_seconds, paused_seconds, due_at, next_check_at)
        SELECT t.id, m.metric, 'Standard', 0, '24x7', m.target, 'running', 1, t.created_at, t.created_at, 0, 0,
               t.sla_due_at + m.extra, t.sla_due_at + m.extra - interval '30 minutes'
        FROM ticket AS t,
             (VALUES ('response', 86400, interval '0 minutes'), ('resolution', 604800, interval '2 days'))
                 AS m(metric, target, extra)
        WHERE t.number LIKE 'GEN-%'
    """))
