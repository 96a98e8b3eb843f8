"""SLA clocks over HTTP and `gongdan sla sweep --at`, on a Mon-Fri 09:00-12:00 + 13:00-18:00 calendar.

The clock is moved with time-machine (a frozen `datetime.now`), so tickets are created and
worked "on Friday at 17:50"; everything else is real: database, API, sweep, notifications.
"""

from __future__ import annotations

import copy
import json
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select

from tests.conftest import PASSWORD, Api, error_of
from tests.support.mailing import mailing_app, mailing_smtp  # noqa: F401  (`app`, `smtp`: e-mail sent for real)

SHANGHAI = ZoneInfo("Asia/Shanghai")
TEMPLATE = json.loads((Path(__file__).resolve().parents[2] / "templates_library" / "it_service_desk" /
                       "it-incident.json").read_text())
EXAMPLE = json.loads((Path(__file__).resolve().parents[2] / "designer" / "format" / "examples" / "it-incident.json").read_text())
P1 = {"title": "Payroll system down", "category": "software", "urgency": "high", "impact": "company",
      "description": "Nobody can log in to payroll", "region": "north"}
OFFICE_WEEK = {day: [["09:00", "12:00"], ["13:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
# The template's own policy: P1 response 15 min and resolution 4 h; warn 30 min before; level 0 at the
# breach (assignee, supervisor), level 1 an hour later (manager, raise priority), level 2 four hours
# after a resolution breach (role executive, by email). Only its calendar is changed, to office hours.
POLICY = TEMPLATE["sla"][0]
CHECKLIST = next(t for t in TEMPLATE["workflow"]["transitions"] if t["key"] == "resolve")["checklist"]


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@contextmanager
def at(instant: datetime):
    with time_machine.travel(instant, tick=False):
        yield


def bearer(app, email: str) -> Api:
    client = Api(app.test_client())
    assert client.login(email, PASSWORD).status_code == 200
    token = client.post("/api/v1/auth/tokens", json={"name": "sla test"}).json["secret"]
    client = Api(app.test_client())
    client.headers = {"Authorization": f"Bearer {token}"}
    return client


@pytest.fixture
def office(app, admin, make_user):
    """The IT service-desk template with its incident SLA on office hours; a staffed service desk."""
    with at(local(2026, 11, 16, 8, 0)):
        ids = {name: make_user(f"{name}@example.com", roles, name=name.title())
               for name, roles in [("sam", ["agent"]), ("ned", ["agent"]), ("boss", ["agent"]), ("mia", ["agent"]),
                                   ("rita", ["requester"])]}
        created = admin.post("/api/v1/teams", json={"key": "service-desk", "name": "Service desk",
                                                    "supervisor_id": ids["boss"], "manager_id": ids["mia"],
                                                    "member_ids": [ids["sam"], ids["ned"], ids["mia"]]})
        assert created.status_code == 201, created.json
        assert admin.post("/api/v1/templates/it-service-desk/install").status_code == 201
        ids["cio"] = make_user("cio@example.com", ["executive"], name="Cio")
        calendar = admin.post("/api/v1/calendars", json={"key": "office", "name": "Shanghai office",
                                                         "timezone": "Asia/Shanghai", "week": OFFICE_WEEK})
        assert calendar.status_code == 201, calendar.json
        draft = admin.get("/api/v1/ticket-types/it-incident/draft")
        definition = draft.json["definition"]
        definition["sla"][0]["calendar"] = "office"
        saved = admin.put("/api/v1/ticket-types/it-incident/draft", json=definition,
                          headers={"If-Match": draft.headers["ETag"]})
        assert saved.status_code == 200, saved.json
        published = admin.post("/api/v1/ticket-types/it-incident/publish", json={"changelog": "Office hours SLA"})
        assert published.status_code in (200, 201), published.json
        clients = {name: bearer(app, f"{name}@example.com") for name in ("sam", "boss", "mia", "rita", "cio")}
    return {"ids": ids, "admin": admin, **clients}


def clocks(client: Api, ticket_id: int) -> dict[str, dict]:
    response = client.get(f"/api/v1/tickets/{ticket_id}")
    assert response.status_code == 200, response.json
    return {clock["metric"]: clock for clock in response.json["sla"]}


def iso(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat()


def sweep(app, instant: datetime) -> dict:
    result = app.test_cli_runner().invoke(args=["sla", "sweep", "--at", instant.isoformat(), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_friday_evening_p1_is_due_monday_morning_and_a_holiday_moves_it(app, office):
    with at(local(2026, 11, 20, 17, 50)):
        ticket = office["rita"].post("/api/v1/tickets", json={"type": "it-incident", "data": P1}).json
        assert ticket["priority"] == "P1"
        sla = clocks(office["rita"], ticket["id"])
    assert sla["response"]["due_at"] == iso(local(2026, 11, 23, 9, 5))
    # 4 business hours: 10 minutes on Friday, 09:00-12:00 and 13:00-13:50 on Monday
    assert sla["resolution"]["due_at"] == iso(local(2026, 11, 23, 13, 50))
    # 15 business minutes is less than the 30-minute warning: it is in its warning window at once
    assert sla["response"]["state"] == "warning" and sla["response"]["target_seconds"] == 900
    assert sla["resolution"]["state"] == "running"

    with at(local(2026, 11, 21, 10, 0)):  # Saturday: no business time passes
        weekend = clocks(office["sam"], ticket["id"])["response"]
        assert weekend["elapsed_seconds"] == 600 and weekend["state"] == "warning"

    with at(local(2026, 11, 20, 17, 55)):
        office["admin"].headers = {}
        changed = office["admin"].patch("/api/v1/calendars/office", json={
            "holidays": [{"date": "2026-11-23", "name": "Company day"}]})
        assert changed.status_code == 200, changed.json
        later = office["rita"].post("/api/v1/tickets", json={"type": "it-incident", "data": P1}).json
        assert clocks(office["rita"], later["id"])["response"]["due_at"] == iso(local(2026, 11, 24, 9, 10))
    with at(local(2026, 11, 20, 17, 50)):
        third = office["rita"].post("/api/v1/tickets", json={"type": "it-incident", "data": P1}).json
        assert clocks(office["rita"], third["id"])["response"]["due_at"] == iso(local(2026, 11, 24, 9, 5))


def test_pending_time_pushes_the_resolution_due_time_by_the_same_business_time(app, office):
    with at(local(2026, 11, 23, 9, 0)):
        ticket = office["rita"].post("/api/v1/tickets", json={"type": "it-incident", "data": P1}).json
        tid = ticket["id"]
        assert clocks(office["rita"], tid)["resolution"]["due_at"] == iso(local(2026, 11, 23, 14, 0))
    with at(local(2026, 11, 23, 9, 10)):
        assert office["sam"].post(f"/api/v1/tickets/{tid}/transitions/start", json={}).status_code == 200
        response = clocks(office["sam"], tid)["response"]
        assert response["state"] == "met" and response["elapsed_seconds"] == 600
    with at(local(2026, 11, 23, 10, 0)):
        asked = office["sam"].post(f"/api/v1/tickets/{tid}/transitions/ask", json={"comment": "Which office?"})
        assert asked.status_code == 200, asked.json
        paused = clocks(office["sam"], tid)["resolution"]
        assert paused["state"] == "paused" and paused["due_at"] is None and paused["elapsed_seconds"] == 3600
    with at(local(2026, 11, 23, 12, 30)):
        assert clocks(office["sam"], tid)["resolution"]["paused_seconds"] == 2 * 3600  # lunch does not count
    with at(local(2026, 11, 23, 13, 0)):  # two business hours later (10-12), the requester answers
        assert office["rita"].post(f"/api/v1/tickets/{tid}/transitions/answer", json={"comment": "Pudong"}).status_code == 200
        resumed = clocks(office["sam"], tid)["resolution"]
        assert resumed["state"] == "running" and resumed["paused_seconds"] == 2 * 3600
        assert resumed["due_at"] == iso(local(2026, 11, 23, 16, 0))  # 14:00 + 2 business hours
        assert office["sam"].get(f"/api/v1/tickets/{tid}").json["sla_due_at"] == iso(local(2026, 11, 23, 16, 0))


def _events(app, ticket_id: int, kinds: tuple[str, ...]) -> list[dict]:
    from platform_core.db import get_session
    from runtime.tickets.models import TicketEvent

    with app.app_context():
        rows = get_session().scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id,
                                                               TicketEvent.kind.in_(kinds)).order_by(TicketEvent.id))
        return [{"kind": e.kind, **e.details} for e in rows]


def _inbox(client: Api, kind: str) -> list[dict]:
    return [n for n in client.get("/api/v1/notifications?limit=200").json["items"] if n["kind"] == kind]


def test_successive_sweeps_fire_the_warning_then_each_escalation_level_once(app, office, smtp):
    with at(local(2026, 11, 20, 17, 50)):
        ticket = office["rita"].post("/api/v1/tickets", json={"type": "it-incident", "data": P1}).json
    tid = ticket["id"]
    assert ticket["assignee"]["email"] == "sam@example.com"  # round robin in service-desk

    def fired(instant):
        return [(m["metric"], m["mark"]) for m in sweep(app, instant)["marks"]]

    # response: 15 business minutes, so fewer than the 30 of the warning are left from the start
    assert fired(local(2026, 11, 20, 17, 50)) == [("response", "warn:before:PT30M")]
    assert fired(local(2026, 11, 20, 17, 59)) == []
    assert fired(local(2026, 11, 23, 9, 4)) == []
    assert fired(local(2026, 11, 23, 9, 5)) == [("response", "breach"), ("response", "escalate:0")]
    assert fired(local(2026, 11, 23, 9, 5)) == []  # again at the same instant: nothing twice
    assert fired(local(2026, 11, 23, 10, 5)) == [("response", "escalate:1")]  # one business hour after
    # resolution: due 13:50, warned at 13:20, level 0 at 13:50, level 1 at 14:50, level 2 four hours on
    assert fired(local(2026, 11, 23, 13, 20)) == [("resolution", "warn:before:PT30M")]
    assert fired(local(2026, 11, 23, 14, 50)) == [("resolution", "breach"), ("resolution", "escalate:0"),
                                                  ("resolution", "escalate:1")]
    assert fired(local(2026, 11, 23, 17, 49)) == []
    assert fired(local(2026, 11, 23, 17, 50)) == [("resolution", "escalate:2")]
    assert fired(local(2026, 11, 30, 9, 0)) == []

    history = _events(app, tid, ("sla_warning", "sla_breached", "escalated"))
    assert [(e["kind"], e["metric"]) for e in history] == [
        ("sla_warning", "response"), ("sla_breached", "response"), ("escalated", "response"), ("escalated", "response"),
        ("sla_warning", "resolution"), ("sla_breached", "resolution"), ("escalated", "resolution"),
        ("escalated", "resolution"), ("escalated", "resolution")]
    assert [e["level"] for e in history if e["kind"] == "escalated"] == [0, 1, 0, 1, 2]

    with at(local(2026, 11, 23, 18, 0)):
        state = clocks(office["sam"], tid)
        assert state["response"]["state"] == "breached" and state["resolution"]["state"] == "breached"
        # in-app: the supervisor at level 0, the manager at level 1, the executive at level 2, once each
        assert len(_inbox(office["boss"], "escalated")) == 2
        assert len(_inbox(office["mia"], "escalated")) == 2
        assert len(_inbox(office["cio"], "escalated")) == 1
        assert len(_inbox(office["sam"], "sla_warning")) == 2 and len(_inbox(office["sam"], "escalated")) == 2
        assert _inbox(office["rita"], "escalated") == [] and _inbox(office["rita"], "sla_warning") == []
        # requesters never see the SLA internals in the timeline
        rita_events = {e["kind"] for e in office["rita"].get(f"/api/v1/tickets/{tid}/events").json["items"]}
        assert not rita_events & {"sla_warning", "sla_breached", "escalated"}

    # and by email, through a real SMTP server: the same people, once each
    def mails(subject: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for message in smtp.messages():
            if subject in message["Subject"]:
                counts[message["To"]] = counts.get(message["To"], 0) + 1
        return counts

    assert mails("Ticket escalated") == {"sam@example.com": 2, "boss@example.com": 2, "mia@example.com": 2,
                                         "cio@example.com": 1}
    assert mails("SLA due soon") == {"sam@example.com": 2}
    assert not any(m["To"] == "rita@example.com" for m in smtp.messages()
                   if "escalated" in m["Subject"] or "SLA" in m["Subject"])


def test_one_sweep_that_raises_the_priority_fires_each_mark_once(app, office):
    p2 = {**P1, "impact": "department"}
    with at(local(2026, 11, 23, 9, 0)):
        ticket = office["rita"].post("/api/v1/tickets", json={"type": "it-incident", "data": p2}).json
        assert ticket["priority"] == "P2"
    # A week later all is overdue and fires in one sweep, one transaction. The resolution clock's
    # level 1 raises P2 to P1, which retargets the response clock: overdue under its new target, it
    # breaches now, so its level 0 fires now and its level 1 an hour later.
    later = local(2026, 11, 30, 9, 0)
    assert [(m["metric"], m["mark"]) for m in sweep(app, later)["marks"]] == [
        ("resolution", "warn:before:PT30M"), ("resolution", "breach"), ("resolution", "escalate:0"),
        ("resolution", "escalate:1"), ("resolution", "escalate:2"), ("response", "breach"), ("response", "escalate:0")]
    assert sweep(app, later)["marks"] == []  # nothing twice
    assert sweep(app, later + timedelta(minutes=59))["marks"] == []
    assert [(m["metric"], m["mark"]) for m in sweep(app, later + timedelta(hours=1))["marks"]] == [
        ("response", "escalate:1")]
    raised = [e for e in _events(app, ticket["id"], ("field_changed",)) if e.get("field") == "priority"]
    assert [(e["old"], e["new"]) for e in raised] == [("P2", "P1")]  # once: P1 is the highest
    with at(later):
        assert office["sam"].get(f"/api/v1/tickets/{ticket['id']}").json["priority"] == "P1"
        # Raised by an escalation, it stays when the fields change: the matrix no longer decides it.
        edited = office["sam"].patch(f"/api/v1/tickets/{ticket['id']}", json={"data": {"impact": "person"}})
        assert edited.status_code == 200 and edited.json["priority"] == "P1"
        shown = office["sam"].get(f"/api/v1/tickets/{ticket['id']}").json["priority_set"]
        assert shown["by"] is None and shown["reason"] is None


def test_a_priority_change_recomputes_the_targets(app, office):
    low = {**P1, "urgency": "low", "impact": "person"}
    with at(local(2026, 11, 23, 9, 0)):
        ticket = office["rita"].post("/api/v1/tickets", json={"type": "it-incident", "data": low}).json
        assert ticket["priority"] == "P4"
        assert clocks(office["rita"], ticket["id"])["resolution"]["target_seconds"] == 5 * 24 * 3600  # P5D
    with at(local(2026, 11, 23, 10, 0)):
        etag = office["sam"].get(f"/api/v1/tickets/{ticket['id']}").headers["ETag"]
        changed = office["sam"].patch(f"/api/v1/tickets/{ticket['id']}", json={"priority": "P1"},
                                      headers={"If-Match": etag})
        assert changed.status_code == 200, changed.json
        resolution = {c["metric"]: c for c in changed.json["sla"]}["resolution"]
        # one business hour used; 3 of the P1 target's 4 hours left: 10:00-12:00, 13:00-14:00
        assert resolution["target_seconds"] == 4 * 3600 and resolution["due_at"] == iso(local(2026, 11, 23, 14, 0))


def test_resolving_stops_and_reopening_resumes_the_resolution_clock(app, office):
    with at(local(2026, 11, 23, 9, 0)):
        tid = office["rita"].post("/api/v1/tickets", json={"type": "it-incident", "data": P1}).json["id"]
    with at(local(2026, 11, 23, 10, 0)):
        assert office["sam"].post(f"/api/v1/tickets/{tid}/transitions/start", json={}).status_code == 200
        resolved = office["sam"].post(f"/api/v1/tickets/{tid}/transitions/resolve", json={
            "fields": {"resolution": "Restarted the service", "root_cause": "software_bug"},
            "checklist": CHECKLIST})
        assert resolved.status_code == 200, resolved.json
        state = clocks(office["sam"], tid)["resolution"]
        assert state["state"] == "met" and state["elapsed_seconds"] == 3600 and state["due_at"] is None
    with at(local(2026, 11, 24, 9, 0)):  # reopened the next morning: the hour used still counts
        assert office["rita"].post(f"/api/v1/tickets/{tid}/transitions/reopen", json={"comment": "Down again"}).status_code == 200
        state = clocks(office["sam"], tid)["resolution"]
        assert state["state"] == "running" and state["elapsed_seconds"] == 3600
        assert state["due_at"] == iso(local(2026, 11, 24, 12, 0))  # 3 business hours left: 09-12


def test_the_sweep_rejects_a_bad_instant_and_what_is_due_lists(app, office):
    result = app.test_cli_runner().invoke(args=["sla", "sweep", "--at", "tomorrow"])
    assert result.exit_code != 0 and "ISO 8601" in result.output
    result = app.test_cli_runner().invoke(args=["sla", "sweep", "--at", "2026-11-23T09:00:00"])
    assert result.exit_code != 0 and "offset" in result.output
    with at(local(2026, 11, 23, 9, 0)):
        first = office["rita"].post("/api/v1/tickets", json={"type": "it-incident", "data": P1}).json
        low = office["rita"].post("/api/v1/tickets", json={"type": "it-incident", "data": {
            **P1, "urgency": "low", "impact": "person"}}).json
        soon = office["sam"].get("/api/v1/tickets", query_string={
            "sla_due_before": iso(local(2026, 11, 23, 10, 0)), "sort": "sla_due"})
        assert soon.status_code == 200 and [t["id"] for t in soon.json["items"]] == [first["id"]]
        ordered = office["sam"].get("/api/v1/tickets?sort=sla_due").json["items"]
        assert [t["id"] for t in ordered] == [first["id"], low["id"]]
        bad = office["sam"].get("/api/v1/tickets?sla_due_before=soon")
        assert bad.status_code in (400, 422) and error_of(bad)["details"]


def test_a_missing_calendar_falls_back_to_24x7_and_says_so(app, office):
    from platform_core.db import get_session
    from runtime.sla.models import TicketSla

    definition = copy.deepcopy(EXAMPLE)
    definition.update(key="it-other", name="Other", number_prefix="OTH",
                      sla=[{**POLICY, "calendar": "no-such-calendar"}])
    with at(local(2026, 11, 20, 17, 50)):
        imported = office["admin"].post("/api/v1/ticket-types/import", json=definition)
        assert imported.status_code == 201, imported.json
        ticket = office["rita"].post("/api/v1/tickets", json={"type": "it-other", "data": P1}).json
        assert clocks(office["rita"], ticket["id"])["response"]["due_at"] == iso(local(2026, 11, 20, 18, 5))
    created = _events(app, ticket["id"], ("created",))[0]
    assert "no-such-calendar" in created["sla"]["problem"]
    warnings = office["admin"].get("/api/v1/ticket-types/it-other/draft").json["warnings"]
    assert {"path": "/sla/0/calendar", "code": "unknown_calendar"}.items() <= next(
        w for w in warnings if w["code"] == "unknown_calendar").items()
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(TicketSla)) >= 2


def test_tickets_without_a_matching_policy_have_no_clocks(app, office):
    definition = copy.deepcopy(EXAMPLE)
    definition.update(key="it-nosla", name="No SLA", number_prefix="NOS",
                      sla=[{**POLICY, "when": {"==": [{"var": "ticket.priority"}, "P9"]}}])
    assert office["admin"].post("/api/v1/ticket-types/import", json=definition).status_code == 201
    ticket = office["rita"].post("/api/v1/tickets", json={"type": "it-nosla", "data": P1}).json
    assert ticket["sla"] == [] and ticket["sla_due_at"] is None
    assert sweep(app, datetime.now(UTC) + timedelta(days=30))["fired"] == 0


def test_next_update_restarts_with_each_public_agent_comment(app, office):
    definition = copy.deepcopy(EXAMPLE)
    definition.update(key="it-updates", name="Updates", number_prefix="UPD", sla=[{
        "name": "Hourly updates", "calendar": "office",
        "targets": {level: {"next_update": "PT1H"} for level in ("P1", "P2", "P3", "P4")}}])
    assert office["admin"].post("/api/v1/ticket-types/import", json=definition).status_code == 201
    with at(local(2026, 11, 23, 9, 0)):
        tid = office["rita"].post("/api/v1/tickets", json={"type": "it-updates", "data": P1}).json["id"]
        assert clocks(office["rita"], tid)["next_update"]["due_at"] == iso(local(2026, 11, 23, 10, 0))
    with at(local(2026, 11, 23, 9, 30)):
        office["sam"].post(f"/api/v1/tickets/{tid}/comments", json={"body": "Looking", "internal": True})
        assert clocks(office["sam"], tid)["next_update"]["cycle"] == 1  # internal notes are not updates
        office["sam"].post(f"/api/v1/tickets/{tid}/comments", json={"body": "We are on it"})
        update = clocks(office["sam"], tid)["next_update"]
        assert update["cycle"] == 2 and update["due_at"] == iso(local(2026, 11, 23, 10, 30))
    with at(local(2026, 11, 23, 11, 0)):
        assert clocks(office["sam"], tid)["next_update"]["state"] == "breached"
        office["sam"].post(f"/api/v1/tickets/{tid}/comments", json={"body": "Still on it"})
        update = clocks(office["sam"], tid)["next_update"]
        assert update["cycle"] == 3 and update["state"] == "running" and update["due_at"] == iso(local(2026, 11, 23, 12, 0))
    ended = [(e["cycle"], e["outcome"]) for e in _events(app, tid, ("sla_cycle_ended",))]
    assert ended == [(1, "met"), (2, "breached")]
