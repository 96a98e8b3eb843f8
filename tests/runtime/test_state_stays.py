"""The state stays (ticket_state_stay) that time_in_state reads: written with each transition, they
are the ticket's transition events paired up — the metric's figures are the ones the events give (computed here
in Python from the events, as the metric computed them before the table), the migration rebuilds the same rows
from the events, and concurrent transitions keep them exact (one open stay per ticket)."""

# ruff: noqa: F811  (the fixtures of test_sla.py and test_reports.py, imported, are the arguments of these tests)
from __future__ import annotations

import math
import threading
from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from platform_core.db import get_session
from runtime.tickets.models import Ticket, TicketEvent, TicketStateStay
from tests.runtime.test_reports import RESOLVE, history, metric, ok  # noqa: F401  (fixtures)
from tests.runtime.test_sla import P1, at, bearer, local, office  # noqa: F401  (fixtures)
from tests.support.mailing import mailing_app, mailing_smtp  # noqa: F401  (`app`, `smtp`)


@pytest.fixture
def more_history(history, office):
    """The history of test_reports.py (A, B reopened, C); D, a low-priority hardware incident left waiting (an
    open stay); E, a request started (its first transition: from new, where creating it put it); F, a request
    that never moved."""
    sam, rita = office["sam"], office["rita"]
    with at(local(2026, 11, 24, 8, 0)):
        d = ok(rita.post("/api/v1/tickets", json={"type": "it-incident", "data": {
            **P1, "category": "hardware", "asset_tag": "LT-0043", "urgency": "low", "impact": "person"}}))["id"]
    with at(local(2026, 11, 24, 8, 30)):
        ok(sam.post(f"/api/v1/tickets/{d}/transitions/start", json={}))
    request = {"type": "it-request",
               "data": {"title": "A headset", "category": "other", "justification": "For the daily calls"}}
    with at(local(2026, 11, 24, 8, 10)):
        e = ok(rita.post("/api/v1/tickets", json=request))["id"]  # stays new: no transition on assignment
        f = ok(rita.post("/api/v1/tickets", json=request))["id"]  # never moves: no stay at all
    with at(local(2026, 11, 24, 9, 30)):
        ok(sam.post(f"/api/v1/tickets/{d}/transitions/ask", json={"comment": "Which port?"}))
    with at(local(2026, 11, 24, 9, 40)):
        ok(sam.post(f"/api/v1/tickets/{e}/transitions/start", json={}))  # its first stay is written now
    return {**history, "d": d, "e": e, "f": f}


def _from_events(session) -> tuple[list[tuple], list[tuple]]:
    """The stays as the events give them: (ticket, state, entered, left) for each transition, entered at the
    ticket's transition before it in (at, id) order or its creation; and the open stay of each ticket that moved
    (one that never did has none: it is in its first state since its creation)."""
    created = dict(session.execute(select(Ticket.id, Ticket.created_at)).all())
    status = dict(session.execute(select(Ticket.id, Ticket.status)).all())
    events = session.execute(select(TicketEvent.ticket_id, TicketEvent.at, TicketEvent.details).where(
        TicketEvent.kind == "transitioned").order_by(TicketEvent.ticket_id, TicketEvent.at, TicketEvent.id)).all()
    closed, last = [], {}
    for ticket_id, instant, details in events:
        closed.append((ticket_id, details["from"], last.get(ticket_id, created[ticket_id]), instant))
        last[ticket_id] = instant
    opened = [(ticket_id, status[ticket_id], last[ticket_id], None) for ticket_id in last]  # a ticket that moved
    return sorted(closed), sorted(opened)


def _stays(session) -> tuple[list[tuple], list[tuple]]:
    rows = session.execute(select(TicketStateStay.ticket_id, TicketStateStay.status, TicketStateStay.entered_at,
                                  TicketStateStay.left_at)).all()
    return sorted(tuple(r) for r in rows if r.left_at is not None), sorted(tuple(r) for r in rows if r.left_at is None)


def test_the_stays_are_the_transition_events_paired_up(app, more_history):
    with app.app_context():
        session = get_session()
        closed, opened = _stays(session)
        assert (closed, opened) == _from_events(session)
        assert len(closed) == session.scalar(select(func.count()).select_from(TicketEvent).where(
            TicketEvent.kind == "transitioned"))
        assert [(t, state) for t, state, _, _ in opened] == [
            (more_history["a"], "resolved"), (more_history["b"], "resolved"), (more_history["c"], "assigned"),
            (more_history["d"], "waiting"), (more_history["e"], "in_progress")]  # F never moved: no stay
        first = next(stay for stay in closed if stay[0] == more_history["e"])
        assert first[1:] == ("new", local(2026, 11, 24, 8, 10), local(2026, 11, 24, 9, 40))


def _nearest_rank(values: list[float], a: int, b: int) -> float:
    return values[max(math.ceil(a * len(values) / b), 1) - 1]


def _expected(app, result: dict, by: str | None, bucket: str | None) -> list[dict]:
    """time_in_state's rows computed from the events and the tickets' current attributes, in Python."""
    tz = ZoneInfo(result["tz"])
    start, end = datetime.fromisoformat(result.get("from") or result["from_"]), datetime.fromisoformat(result["to"])
    with app.app_context():
        session = get_session()
        closed, _ = _from_events(session)
        tickets = {t.id: t for t in session.scalars(select(Ticket))}
        groups: dict[tuple, list[float]] = defaultdict(list)
        for ticket_id, state, entered, left in closed:
            if not start <= left < end:
                continue
            ticket = tickets[ticket_id]
            group = {None: None, "team": ticket.team_id, "category": ticket.data.get("category"),
                     "status": ticket.status, "priority": ticket.priority}[by]
            day = left.astimezone(tz).replace(hour=0, minute=0, second=0, microsecond=0).isoformat() if bucket else None
            groups[(day, state, None if group is None else str(group))].append((left - entered).total_seconds())
    rows = []
    for (day, state, group), values in groups.items():
        values.sort()
        row = {"state": state, "count": len(values), "avg": round(sum(values) / len(values), 3),
               "p50": _nearest_rank(values, 1, 2), "p90": _nearest_rank(values, 9, 10), "max": values[-1]}
        if bucket:
            row["bucket"] = day
        if by:
            row["group"] = group
        rows.append(row)
    return sorted(rows, key=lambda r: (r.get("bucket") or "", r["state"], r.get("group") or ""))


@pytest.mark.parametrize("params", [
    {}, {"by": "team"}, {"by": "category"}, {"by": "status"}, {"by": "priority"}, {"bucket": "day"},
    {"bucket": "day", "by": "category", "tz": "UTC"}, {"from": "2026-11-24"}, {"from": "2026-11-23", "to": "2026-11-24"},
])
def test_time_in_state_gives_the_figures_of_the_events(app, more_history, office, params):
    result = metric(office["admin"], "time_in_state", **params)
    keys = ("bucket", "state", "group", "count", "avg", "p50", "p90", "max")
    got = sorted(({k: row[k] for k in keys if k in row} for row in result["rows"]),
                 key=lambda r: (r.get("bucket") or "", r["state"], r.get("group") or ""))
    expected = _expected(app, result, params.get("by"), params.get("bucket"))
    assert got == expected
    assert sum(row["count"] for row in got) > 0


def test_the_migration_rebuilds_the_same_stays_from_the_events(app, more_history):
    from alembic import command

    from platform_core import migrate

    with app.app_context():
        session = get_session()
        written = _stays(session)
        session.close()
        config = migrate.alembic_config()
        try:
            command.downgrade(config, "0021_comment_idempotency")
            command.upgrade(config, "0022_state_stays")
        finally:
            command.upgrade(config, "head")  # the other tests' schema, whatever happened
        assert _stays(get_session()) == written


def test_concurrent_transitions_keep_one_exact_open_stay_per_ticket(app, office):
    sam, rita = office["sam"], office["rita"]
    with at(local(2026, 11, 23, 9, 0)):
        ids = [ok(rita.post("/api/v1/tickets", json={"type": "it-incident", "data": P1}))["id"] for _ in range(4)]
    errors: list[str] = []
    clients = [(bearer(app, "sam@example.com"), bearer(app, "rita@example.com")) for _ in ids]  # one per thread

    def walk(ticket_id: int, agent, requester, barrier: threading.Barrier) -> None:
        barrier.wait()
        for key, body in (("start", {}), ("ask", {"comment": "More?"}), ("answer", {"comment": "This"}),
                          ("resolve", None)):
            response = (requester if key == "answer" else agent).post(
                f"/api/v1/tickets/{ticket_id}/transitions/{key}",
                json=RESOLVE if body is None else body)
            if response.status_code != 200:
                errors.append(f"{ticket_id} {key}: {response.status_code} {response.json}")

    barrier = threading.Barrier(len(ids))
    threads = [threading.Thread(target=walk, args=(ticket_id, *pair, barrier))
               for ticket_id, pair in zip(ids, clients, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []

    # two agents taking the same transition of one ticket at once: one wins, and the ticket has one open stay
    with at(local(2026, 11, 23, 10, 0)):
        race = ok(rita.post("/api/v1/tickets", json={"type": "it-incident", "data": P1}))["id"]
    statuses: list[int] = []
    barrier = threading.Barrier(2)

    def take(client) -> None:
        barrier.wait()
        statuses.append(client.post(f"/api/v1/tickets/{race}/transitions/start", json={}).status_code)

    racers = [threading.Thread(target=take, args=(client,)) for client in (sam, office["mia"])]
    for thread in racers:
        thread.start()
    for thread in racers:
        thread.join(timeout=60)
    assert sorted(statuses)[0] == 200 and sorted(statuses)[1] in (403, 409, 412), statuses

    with app.app_context():
        session = get_session()
        closed, opened = _stays(session)
        assert (closed, opened) == _from_events(session)
        assert [(t, s) for t, s, _, _ in opened] == sorted(
            [(ticket_id, "resolved") for ticket_id in ids] + [(race, "in_progress")])
        # and the database itself refuses a second open stay for a ticket
        with pytest.raises(IntegrityError):
            session.execute(insert(TicketStateStay).values(ticket_id=race, status="waiting",
                                                           entered_at=datetime.now().astimezone() + timedelta(1)))
            session.flush()
        session.rollback()


def test_time_in_state_counts_only_the_stays_of_tickets_the_viewer_may_see(app, more_history, office, make_user):
    with at(local(2026, 11, 24, 11, 0)):
        make_user("olga@example.com", ["agent"], name="Olga")  # in no team
        olga = bearer(app, "olga@example.com")
    assert metric(olga, "time_in_state")["rows"] == []
    assert metric(office["sam"], "time_in_state", by="team")["rows"] == metric(
        office["admin"], "time_in_state", by="team")["rows"]  # the service desk's: every ticket
    assert metric(office["admin"], "time_in_state", team="service-desk")["rows"] == metric(
        office["admin"], "time_in_state")["rows"]
