"""Set-ups shared by the outbox and delivery tests: an app wired to the test servers, the IT
desk with people in both languages, and quick looks at the outbox."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from gongdan import create_app
from platform_core.db import get_session, utcnow
from platform_core.jobs import get_redis
from tests.conftest import PASSWORD, TEST_REDIS_URL, Api, app_config, empty_database

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = json.loads((ROOT / "designer" / "format" / "examples" / "it-incident.json").read_text())
# Routed to east-senior-ops (Olive on duty); its supervisor Bo gets a "routed" notification by email.
SERVER_DOWN = {"title": "server down in Shanghai DC", "category": "network", "urgency": "high",
               "impact": "department", "description": "The whole rack is dark", "region": "east"}
BASE_URL = "https://desk.example.com"


def outbox_settings(smtp_port: int | None, **extra: Any) -> dict[str, Any]:
    """Short timeouts and a small, easy-to-step retry schedule: 10 s, 20 s, 40 s; dead after 4 attempts."""
    return {"SMTP_HOST": "127.0.0.1" if smtp_port else None, "SMTP_PORT": smtp_port or 25,
            "SMTP_FROM": "desk@gongdan.test", "SMTP_TIMEOUT_SECONDS": 3, "WEBHOOK_TIMEOUT_SECONDS": 3,
            "OUTBOX_RETRY_BASE_SECONDS": 10, "OUTBOX_RETRY_MAX_SECONDS": 60, "OUTBOX_MAX_ATTEMPTS": 4,
            "BASE_URL": BASE_URL, **extra}


def make_app(database_url: str, tmp_path: Path, **config: Any) -> Flask:
    """An app on the test database (emptied); Redis only when ``REDIS_URL`` is given (then flushed)."""
    app = create_app(app_config(database_url, tmp_path, **{"REDIS_URL": None, **config}))
    empty_database(app)
    if TEST_REDIS_URL and app.config["REDIS_URL"] == TEST_REDIS_URL:
        get_redis(app).flushdb()
    return app


def login(app: Flask, email: str) -> Api:
    client = Api(app.test_client())
    assert client.login(email, PASSWORD).status_code == 200
    return client


def staff_the_desk(app: Flask, admin: Api, make_user) -> dict[str, int]:
    """The IT incident type published; Olive (English) on duty in east-senior-ops, whose supervisor
    Bo reads Chinese; Rita (Chinese) and Ray (English) file tickets."""
    people = [("olive", ["agent"], "en"), ("sam", ["agent"], "en"), ("bo", ["agent"], "zh-CN"),
              ("nina", ["agent"], "en"), ("rita", ["requester"], "zh-CN"), ("ray", ["requester"], "en")]
    ids = {name: make_user(f"{name}@example.com", roles, name=name.title(), locale=locale)
           for name, roles, locale in people}
    east = admin.post("/api/v1/teams", json={"key": "east-senior-ops", "name": "East senior ops",
                                             "supervisor_id": ids["bo"], "member_ids": [ids["olive"], ids["sam"]]}).json
    admin.post("/api/v1/teams", json={"key": "network-ops", "name": "Network ops", "member_ids": [ids["nina"]]})
    admin.post("/api/v1/teams", json={"key": "service-desk", "name": "Service desk", "member_ids": [ids["sam"]]})
    now = utcnow()
    admin.post(f"/api/v1/teams/{east['id']}/roster", json={
        "user_id": ids["olive"], "starts_at": (now - timedelta(hours=1)).isoformat(),
        "ends_at": (now + timedelta(hours=8)).isoformat()})
    assert admin.post("/api/v1/ticket-types/import", json=EXAMPLE).status_code == 201
    ids["east"] = east["id"]
    return ids


def file_ticket(app: Flask, email: str = "ray@example.com", **data: Any) -> dict[str, Any]:
    created = login(app, email).post("/api/v1/tickets", json={"type": "it-incident", "data": {**SERVER_DOWN, **data}})
    assert created.status_code == 201, created.json
    return created.json


def notify(app: Flask, user_id: int, ticket_id: int | None, kind: str, message: str,
           channels: list[str] | None = None) -> None:
    """runtime.notify.inbox.notify_user in a unit of work of its own, as a service would call it."""
    from runtime.notify.inbox import notify_user
    from runtime.tickets.models import Ticket

    with app.app_context():
        session = get_session()
        ticket = session.get(Ticket, ticket_id) if ticket_id else None
        notify_user(session, user_id, ticket, kind, message, channels=channels)
        session.commit()


def outbox_rows(app: Flask, **where: Any) -> list[dict[str, Any]]:
    from runtime.notify.models import OutboxMessage

    with app.app_context():
        stmt = select(OutboxMessage).order_by(OutboxMessage.id)
        for name, value in where.items():
            stmt = stmt.where(getattr(OutboxMessage, name) == value)
        return [{"id": m.id, "channel": m.channel, "event": m.event, "status": m.status, "attempts": m.attempts,
                 "target": m.target, "user_id": m.user_id, "ticket_id": m.ticket_id, "response_code": m.response_code,
                 "last_error": m.last_error, "next_attempt_at": m.next_attempt_at, "delivery_id": m.delivery_id,
                 "payload": m.payload}
                for m in get_session().scalars(stmt)]


def attempt_log(app: Flask, message_id: int) -> list[tuple[int, str, int | None]]:
    from runtime.notify.outbox import attempts_of

    with app.app_context():
        return [(a.number, a.outcome, a.response_code) for a in attempts_of(get_session(), message_id)]


def sweep(app: Flask, after: timedelta = timedelta(0)) -> int:
    """Run the periodic delivery job as if ``after`` had passed."""
    from runtime.notify.outbox import deliver_due

    with app.app_context():
        return deliver_due(utcnow() + after)
