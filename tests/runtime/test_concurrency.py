"""Under concurrency: ticket numbers stay unique and gap-free, events are not lost, and one of two
simultaneous transitions wins while the other is refused."""

from __future__ import annotations

import json
import multiprocessing
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from platform_core.db import get_session
from runtime.tickets.models import Ticket, TicketEvent
from tests.conftest import PASSWORD, Api, app_config

EXAMPLE = json.loads((Path(__file__).resolve().parents[2] / "designer" / "format" / "examples" / "it-incident.json").read_text())
DATA = {"title": "Keyboard sticky", "category": "software", "urgency": "low", "impact": "person",
        "description": "Coffee", "region": "north"}


def _create_many(database_url: str, instance: str, token: str, count: int, results) -> None:
    """One OS process filing ``count`` tickets through the HTTP API with its own app and connections."""
    from pathlib import Path

    from gongdan import create_app

    app = create_app(app_config(database_url, Path(instance)))
    client = app.test_client()
    numbers = []
    for _ in range(count):
        response = client.post("/api/v1/tickets", json={"type": "it-incident", "data": DATA},
                               headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 201, response.json
        numbers.append(response.json["number"])
    results.put(numbers)


@pytest.mark.long
def test_two_processes_creating_tickets_get_distinct_numbers_and_every_event(app, admin, make_user, tmp_path):
    make_user("mes@example.com", ["requester"])
    assert admin.post("/api/v1/ticket-types/import", json=EXAMPLE).status_code == 201
    mes = Api(app.test_client())
    mes.login("mes@example.com", PASSWORD)
    token = mes.post("/api/v1/auth/tokens", json={"name": "MES"}).json["secret"]

    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    per_process = 200
    workers = [context.Process(target=_create_many, args=(app.config["DATABASE_URL"], str(tmp_path / f"i{i}"),
                                                          token, per_process, results)) for i in range(2)]
    for worker in workers:
        worker.start()
    numbers = results.get(timeout=300) + results.get(timeout=300)
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0

    assert len(numbers) == len(set(numbers)) == 2 * per_process
    assert sorted(numbers) == [f"INC-{n:06d}" for n in range(1, 2 * per_process + 1)]  # no gaps either
    with app.app_context():
        session = get_session()
        assert session.scalar(select(func.count()).select_from(Ticket)) == 2 * per_process
        created_events = session.scalar(select(func.count()).select_from(TicketEvent).where(TicketEvent.kind == "created"))
        assert created_events == 2 * per_process


def test_two_agents_taking_the_same_transition_at_once_exactly_one_wins(app, admin, make_user):
    for name in ("amy", "bo"):
        make_user(f"{name}@example.com", ["agent"])
    make_user("rita@example.com", ["requester"])
    member_ids = [u["id"] for u in admin.get("/api/v1/users?q=example").json["items"] if u["email"][:2] in ("am", "bo")]
    admin.post("/api/v1/teams", json={"key": "service-desk", "name": "Service desk", "member_ids": member_ids})
    assert admin.post("/api/v1/ticket-types/import", json=EXAMPLE).status_code == 201
    rita = Api(app.test_client())
    rita.login("rita@example.com", PASSWORD)
    ticket_id = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": DATA}).json["id"]

    agents = []
    for name in ("amy", "bo"):
        client = Api(app.test_client())
        client.login(f"{name}@example.com", PASSWORD)
        agents.append(client)
    for _attempt in range(3):  # a few rounds, each from a fresh ticket, to make the race real
        barrier = threading.Barrier(2)
        statuses: list[int] = []

        def take(client, barrier=barrier, statuses=statuses, ticket_id=ticket_id):
            barrier.wait()
            statuses.append(client.post(f"/api/v1/tickets/{ticket_id}/transitions/start", json={}).status_code)

        threads = [threading.Thread(target=take, args=(client,)) for client in agents]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(statuses)[0] == 200 and sorted(statuses)[1] in (409, 412), statuses
        with app.app_context():
            transitions = get_session().scalar(select(func.count()).select_from(TicketEvent).where(
                TicketEvent.ticket_id == ticket_id, TicketEvent.kind == "transitioned"))
        assert transitions == 1
        created = rita.post("/api/v1/tickets", json={"type": "it-incident", "data": DATA})
        assert created.status_code == 201, created.json
        ticket_id = created.json["id"]
