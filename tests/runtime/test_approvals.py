"""Approvals over HTTP: any (或签) and all (会签), the requester's manager, delegation while away, the deadline
enforced by `gongdan sla sweep --at` (a warning, then the timeout, each once), two decisions at once, bad input
with pointers, and the signed one-click links from the e-mails."""

from __future__ import annotations

import copy
import itertools
import json
import re
import threading
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from sqlalchemy import select

from tests.conftest import PASSWORD, Api, error_of
from tests.support.mailing import mailing_app, mailing_smtp  # noqa: F401  (`app`, `smtp`: e-mail sent for real)

# A purchase request: an agent asks for approval; approving orders, rejecting sends it back to "new".
PURCHASE = {
    "format": 1, "key": "purchase", "name": "Purchase request", "number_prefix": "PUR",
    "form": {"schema": {"type": "object", "required": ["title"],
                        "properties": {"title": {"type": "string", "title": "Title"},
                                       "amount": {"type": "number", "title": "Amount"}}}},
    "workflow": {
        "states": [
            {"key": "new", "name": "New", "category": "new", "initial": True},
            {"key": "approval", "name": "Awaiting approval", "category": "open",
             "i18n": {"zh-CN": {"name": "待审批"}},
             "approval": {"approvers": {"roles": ["approver"]}, "mode": "any", "deadline": "PT4H",
                          "warn_before": "PT1H", "on_timeout": "reject",
                          "on_approve": "approve", "on_reject": "reject"}},
            {"key": "ordered", "name": "Ordered", "category": "open"},
            {"key": "closed", "name": "Closed", "category": "closed", "final": True},
        ],
        "transitions": [
            {"key": "ask", "name": "Ask for approval", "from": ["new"], "to": "approval"},
            {"key": "approve", "name": "Approve", "from": ["approval"], "to": "ordered"},
            {"key": "reject", "name": "Reject", "from": ["approval"], "to": "new"},
            {"key": "withdraw", "name": "Withdraw", "from": ["approval"], "to": "closed", "roles": ["requester"]},
            {"key": "close", "name": "Close", "from": ["ordered", "new"], "to": "closed"},
        ],
    },
}
START = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)  # a Monday


@contextmanager
def at(instant: datetime):
    with time_machine.travel(instant, tick=False):
        yield


@pytest.fixture(autouse=True)
def monday():
    """Every test runs on Monday 16 November 2026 at 09:00 UTC, unless it travels on."""
    with at(START):
        yield


def login(app, email: str) -> Api:
    client = Api(app.test_client())
    assert client.login(email, PASSWORD).status_code == 200
    return client


PUBLISHED = itertools.count(1)


def publish(admin: Api, approval: dict | None = None) -> None:
    """Publish the purchase type, each test's version at its own instant: compiled definitions are cached by
    version id and publishing instant, and ids repeat in a database emptied between tests."""
    definition = copy.deepcopy(PURCHASE)
    if approval is not None:
        definition["workflow"]["states"][1]["approval"] = approval
    with at(START - timedelta(minutes=1, microseconds=next(PUBLISHED))):
        imported = admin.post("/api/v1/ticket-types/import", json=definition)
    assert imported.status_code == 201, imported.json


@pytest.fixture
def office(app, admin, make_user):
    """Rita requests (her manager is Mia); Ann and Ben hold the approver role; Dan stands in; Sam works tickets."""
    assert admin.post("/api/v1/roles", json={"name": "approver", "description": "Approves purchases"}).status_code == 201
    ids = {name: make_user(f"{name}@example.com", roles, name=name.title(), locale=locale)
           for name, roles, locale in [("rita", ["requester"], "en"), ("mia", ["agent"], "en"),
                                       ("ann", ["approver"], "en"), ("ben", ["approver"], "zh-CN"),
                                       ("dan", ["agent"], "en"), ("sam", ["agent"], "en")]}
    assert admin.patch(f"/api/v1/users/{ids['rita']}", json={"manager_id": ids["mia"]}).status_code == 200
    admin.post("/api/v1/teams", json={"key": "purchasing", "name": "Purchasing", "member_ids": [ids["sam"]]})
    return {"ids": ids, "admin": admin}


def asked(app, **data) -> tuple[int, dict[str, Api]]:
    """Rita files a request and Sam's admin-free path: the requester asks for approval herself."""
    people = {name: login(app, f"{name}@example.com") for name in ("rita", "ann", "ben", "mia", "dan", "sam")}
    created = people["rita"].post("/api/v1/tickets", json={"type": "purchase", "data": {"title": "Laptop", **data}})
    assert created.status_code == 201, created.json
    ticket_id = created.json["id"]
    moved = people["rita"].post(f"/api/v1/tickets/{ticket_id}/transitions/ask", json={})
    assert moved.status_code == 200, moved.json
    return ticket_id, people


def approval_of(client: Api, ticket_id: int) -> dict:
    items = client.get(f"/api/v1/tickets/{ticket_id}/approvals").json["items"]
    return items[-1]


def events(client: Api, ticket_id: int) -> list[dict]:
    return client.get(f"/api/v1/tickets/{ticket_id}/events?limit=200").json["items"]


def sweep(app, instant: datetime) -> dict:
    result = app.test_cli_runner().invoke(args=["sla", "sweep", "--at", instant.isoformat(), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# --------------------------------------------------------------------------- any, all, manager


def test_any_one_approver_decides_and_the_history_records_it(app, office):
    publish(office["admin"])
    with at(START):
        ticket_id, people = asked(app)
        queue = people["ann"].get("/api/v1/approvals").json
        assert [a["ticket"]["id"] for a in queue["items"]] == [ticket_id] and queue["next_cursor"] is None
        approval = queue["items"][0]
        assert approval["can_decide"] and approval["mode"] == "any" and approval["state_name"] == "Awaiting approval"
        assert {a["user"]["email"] for a in approval["approvers"]} == {"ann@example.com", "ben@example.com"}
        assert people["ben"].get("/api/v1/approvals").json["items"][0]["state_name"] == "待审批"
        assert people["sam"].get("/api/v1/approvals").json["items"] == []
        # the approvers watch the ticket, so they may open it; the decided transitions are no buttons
        assert people["ann"].get(f"/api/v1/tickets/{ticket_id}").status_code == 200
        keys = {t["key"] for t in people["rita"].get(f"/api/v1/tickets/{ticket_id}/transitions").json["items"]}
        assert keys == {"withdraw"}
        by_hand = office["admin"].post(f"/api/v1/tickets/{ticket_id}/transitions/approve", json={})
        assert by_hand.status_code == 409 and error_of(by_hand)["details"][0]["code"] == "approval"

        decided = people["ann"].post(f"/api/v1/approvals/{approval['id']}/decision",
                                     json={"decision": "approve", "comment": "Within budget"})
        assert decided.status_code == 200, decided.json
        assert decided.json["status"] == "approved" and decided.json["can_decide"] is False
        ann_row = next(a for a in decided.json["approvers"] if a["user"]["email"] == "ann@example.com")
        assert ann_row["decision"] == "approve" and ann_row["comment"] == "Within budget" and ann_row["via"] == "app"
        assert people["rita"].get(f"/api/v1/tickets/{ticket_id}").json["status"] == "ordered"

        late = people["ben"].post(f"/api/v1/approvals/{approval['id']}/decision", json={"decision": "approve"})
        assert late.status_code == 409 and error_of(late)["code"] == "approval_closed"
        assert people["ben"].get("/api/v1/approvals").json["items"] == []
    kinds = [e["kind"] for e in events(people["rita"], ticket_id)]
    assert kinds.count("approval_requested") == 1 and kinds.count("approval_decided") == 1
    assert kinds.index("approval_decided") < kinds.index("approval_completed")
    done = next(e for e in events(people["rita"], ticket_id) if e["kind"] == "approval_completed")
    assert done["details"]["status"] == "approved" and done["details"]["transition"] == "approve"
    notified = people["ann"].get("/api/v1/notifications").json["items"]
    assert any(n["kind"] == "approval" for n in notified)


def test_all_needs_every_approval_and_the_first_rejection_rejects(app, office):
    publish(office["admin"], {"approvers": {"roles": ["approver"]}, "mode": "all",
                              "on_approve": "approve", "on_reject": "reject"})
    ticket_id, people = asked(app)
    approval_id = approval_of(people["rita"], ticket_id)["id"]
    first = people["ann"].post(f"/api/v1/approvals/{approval_id}/decision", json={"decision": "approve"})
    assert first.status_code == 200 and first.json["status"] == "pending"
    again = people["ann"].post(f"/api/v1/approvals/{approval_id}/decision", json={"decision": "approve"})
    assert again.status_code == 409 and error_of(again)["details"][0]["code"] == "already_decided"
    assert people["rita"].get(f"/api/v1/tickets/{ticket_id}").json["status"] == "approval"
    bare = people["ben"].post(f"/api/v1/approvals/{approval_id}/decision", json={"decision": "reject"})
    assert bare.status_code == 422 and error_of(bare)["details"][0]["path"] == "/comment"
    assert "必须填写意见" in error_of(bare)["message"]  # Ben reads Chinese
    rejected = people["ben"].post(f"/api/v1/approvals/{approval_id}/decision",
                                  json={"decision": "reject", "comment": "Not this quarter"})
    assert rejected.status_code == 200 and rejected.json["status"] == "rejected"
    assert people["rita"].get(f"/api/v1/tickets/{ticket_id}").json["status"] == "new"

    # asked again: a new approval; this time both approve
    people["rita"].post(f"/api/v1/tickets/{ticket_id}/transitions/ask", json={})
    second = approval_of(people["rita"], ticket_id)
    assert second["id"] != approval_id and second["status"] == "pending"
    for name in ("ann", "ben"):
        assert people[name].post(f"/api/v1/approvals/{second['id']}/decision",
                                 json={"decision": "approve"}).status_code == 200
    assert people["rita"].get(f"/api/v1/tickets/{ticket_id}").json["status"] == "ordered"
    assert approval_of(people["rita"], ticket_id)["status"] == "approved"


def test_the_requesters_manager_decides_and_leaving_the_state_cancels(app, office):
    publish(office["admin"], {"approvers": {"requester_manager": True}, "on_approve": "approve", "on_reject": "reject"})
    ticket_id, people = asked(app)
    approval = approval_of(people["rita"], ticket_id)
    assert [a["user"]["email"] for a in approval["approvers"]] == ["mia@example.com"]
    assert approval["approvers"][0]["source"] == "requester_manager"
    refused = people["ann"].post(f"/api/v1/approvals/{approval['id']}/decision", json={"decision": "approve"})
    assert refused.status_code == 404  # Ann is not asked and cannot see the ticket
    assert people["mia"].get("/api/v1/approvals").json["items"][0]["id"] == approval["id"]
    assert people["rita"].post(f"/api/v1/tickets/{ticket_id}/transitions/withdraw", json={}).status_code == 200
    assert approval_of(people["rita"], ticket_id)["status"] == "cancelled"
    assert people["mia"].get("/api/v1/approvals").json["items"] == []
    closed = people["mia"].post(f"/api/v1/approvals/{approval['id']}/decision", json={"decision": "approve"})
    assert closed.status_code == 409


def test_a_manager_must_exist_and_not_report_to_the_user(app, office):
    admin, ids = office["admin"], office["ids"]
    loop = admin.patch(f"/api/v1/users/{ids['mia']}", json={"manager_id": ids["rita"]})
    assert loop.status_code == 422 and error_of(loop)["details"][0]["path"] == "/manager_id"
    missing = admin.patch(f"/api/v1/users/{ids['mia']}", json={"manager_id": 99999})
    assert missing.status_code == 422 and error_of(missing)["details"][0]["path"] == "/manager_id"
    assert admin.get(f"/api/v1/users/{ids['rita']}").json["manager_id"] == ids["mia"]


# --------------------------------------------------------------------------- delegation


def test_a_delegate_decides_for_someone_away(app, office):
    publish(office["admin"], {"approvers": {"users": ["ann@example.com"]}, "on_approve": "approve",
                              "on_reject": "reject"})
    with at(START):
        ann, dan = login(app, "ann@example.com"), login(app, "dan@example.com")
        ids = office["ids"]
        backwards = ann.post("/api/v1/approvals/delegations",
                             json={"delegate_id": ids["dan"], "starts_on": "2026-11-20", "ends_on": "2026-11-16"})
        assert backwards.status_code == 422 and error_of(backwards)["details"][0]["path"] == "/ends_on"
        myself = ann.post("/api/v1/approvals/delegations",
                          json={"delegate_id": ids["ann"], "starts_on": "2026-11-16", "ends_on": "2026-11-20"})
        assert myself.status_code == 422 and error_of(myself)["details"][0]["path"] == "/delegate_id"
        nobody = ann.post("/api/v1/approvals/delegations", json={"delegate_id": ids["dan"], "starts_on": "2026-11-16"})
        assert nobody.status_code == 422 and error_of(nobody)["details"][0]["path"] == "/ends_on"
        made = ann.post("/api/v1/approvals/delegations",
                        json={"delegate_id": ids["dan"], "starts_on": "2026-11-16", "ends_on": "2026-11-20",
                              "note": "On leave"})
        assert made.status_code == 201, made.json
        assert [d["delegate"]["email"] for d in dan.get("/api/v1/approvals/delegations").json["items"]] == ["dan@example.com"]

        ticket_id, people = asked(app)
        queue = dan.get("/api/v1/approvals").json["items"]
        assert len(queue) == 1 and queue[0]["can_decide"]
        assert [u["email"] for u in queue[0]["on_behalf_of"]] == ["ann@example.com"]
        assert any(n["kind"] == "approval" and "Ann is away" in n["message"]
                   for n in dan.get("/api/v1/notifications").json["items"])
        assert dan.get(f"/api/v1/tickets/{ticket_id}").status_code == 200  # a delegate may open the ticket
        decided = dan.post(f"/api/v1/approvals/{queue[0]['id']}/decision", json={"decision": "approve", "comment": "For Ann"})
        assert decided.status_code == 200 and decided.json["status"] == "approved"
        row = decided.json["approvers"][0]
        assert row["user"]["email"] == "ann@example.com" and row["decided_by"]["email"] == "dan@example.com"
    recorded = next(e for e in events(people["rita"], ticket_id) if e["kind"] == "approval_decided")
    assert recorded["details"]["on_behalf_of"] == "ann@example.com" and recorded["actor"]["email"] == "dan@example.com"

    # after the leave, Dan no longer decides for Ann
    with at(START + timedelta(days=6)):
        ann, dan = login(app, "ann@example.com"), login(app, "dan@example.com")
        ticket_id, people = asked(app)
        approval_id = approval_of(people["rita"], ticket_id)["id"]
        assert dan.get("/api/v1/approvals").json["items"] == []
        assert dan.post(f"/api/v1/approvals/{approval_id}/decision", json={"decision": "approve"}).status_code == 404
        ended = ann.delete(f"/api/v1/approvals/delegations/{made.json['id']}")
        assert ended.status_code == 204


# --------------------------------------------------------------------------- the deadline


def test_the_sweep_warns_once_then_rejects_at_the_deadline_once(app, office):
    publish(office["admin"])  # PT4H on 24x7, warn an hour before, reject on timeout
    with at(START):
        ticket_id, people = asked(app)
    approval = approval_of(people["rita"], ticket_id)
    assert approval["due_at"] == (START + timedelta(hours=4)).isoformat()

    assert [m for m in sweep(app, START + timedelta(hours=2, minutes=59))["marks"] if m["metric"] == "approval"] == []
    warned = sweep(app, START + timedelta(hours=3))["marks"]
    assert [m["mark"] for m in warned if m["metric"] == "approval"] == ["warning"]
    assert [m for m in sweep(app, START + timedelta(hours=3, minutes=30))["marks"] if m["metric"] == "approval"] == []
    assert sum(n["kind"] == "approval_warning" for n in people["ann"].get("/api/v1/notifications").json["items"]) == 1

    timed_out = sweep(app, START + timedelta(hours=4))["marks"]
    assert [m["mark"] for m in timed_out if m["metric"] == "approval"] == ["timeout:reject"]
    assert [m for m in sweep(app, START + timedelta(hours=5))["marks"] if m["metric"] == "approval"] == []
    shown = approval_of(people["rita"], ticket_id)
    assert shown["status"] == "rejected" and shown["outcome"] == "timeout"
    assert people["rita"].get(f"/api/v1/tickets/{ticket_id}").json["status"] == "new"
    kinds = [e["kind"] for e in events(office["admin"], ticket_id)]
    assert kinds.count("approval_warning") == 1 and kinds.count("approval_timed_out") == 1


def test_escalation_at_the_deadline_asks_someone_whose_decision_settles_it(app, office):
    publish(office["admin"], {"approvers": {"roles": ["approver"]}, "mode": "all", "deadline": "PT1H",
                              "on_timeout": "escalate", "escalate_to": {"users": ["mia@example.com"]},
                              "on_approve": "approve", "on_reject": "reject"})
    with at(START):
        ticket_id, people = asked(app)
    marks = sweep(app, START + timedelta(hours=1))["marks"]
    assert [m["mark"] for m in marks if m["metric"] == "approval"] == ["timeout:escalate"]
    approval = people["mia"].get("/api/v1/approvals").json["items"][0]
    assert approval["can_decide"] and approval["approvers"][-1]["source"] == "escalation"
    decided = people["mia"].post(f"/api/v1/approvals/{approval['id']}/decision", json={"decision": "approve"})
    assert decided.status_code == 200 and decided.json["status"] == "approved"
    assert people["rita"].get(f"/api/v1/tickets/{ticket_id}").json["status"] == "ordered"


# --------------------------------------------------------------------------- races and bad input


def test_two_clicks_at_once_give_one_decision(app, office):
    publish(office["admin"])
    ticket_id, people = asked(app)
    approval_id = approval_of(people["rita"], ticket_id)["id"]
    clients = [login(app, "ann@example.com"), login(app, "ann@example.com"), people["ben"]]
    barrier = threading.Barrier(len(clients))
    answers: list[int] = []

    def click(client: Api) -> None:
        barrier.wait()
        answers.append(client.post(f"/api/v1/approvals/{approval_id}/decision",
                                   json={"decision": "approve"}).status_code)

    threads = [threading.Thread(target=click, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers) == [200, 409, 409]
    decided = [a for a in approval_of(people["rita"], ticket_id)["approvers"] if a["decision"]]
    assert len(decided) == 1
    kinds = [e["kind"] for e in events(people["rita"], ticket_id)]
    assert kinds.count("approval_decided") == 1 and kinds.count("approval_completed") == 1


def test_bad_input_is_refused_with_pointers_and_changes_nothing(app, office):
    publish(office["admin"])
    ticket_id, people = asked(app)
    approval_id = approval_of(people["rita"], ticket_id)["id"]
    ann = people["ann"]
    for body, path in [({"decision": "maybe"}, "/decision"), ({}, "/decision"),
                       ({"decision": "approve", "comment": "x" * 2001}, "/comment"),
                       ({"decision": "approve", "extra": 1}, "/extra"),
                       ({"decision": "approve", "on_behalf_of": 0}, "/on_behalf_of"),
                       ({"decision": "approve", "on_behalf_of": office["ids"]["ben"]}, "/on_behalf_of")]:
        answer = ann.post(f"/api/v1/approvals/{approval_id}/decision", json=body)
        assert answer.status_code == 422, (body, answer.json)
        assert error_of(answer)["details"][0]["path"] == path
    not_json = ann.post(f"/api/v1/approvals/{approval_id}/decision", data="approve",
                        headers={"Content-Type": "text/plain"})
    assert 400 <= not_json.status_code < 500
    assert people["sam"].post(f"/api/v1/approvals/{approval_id}/decision",
                              json={"decision": "approve"}).status_code == 404
    assert ann.post("/api/v1/approvals/99999/decision", json={"decision": "approve"}).status_code == 404
    assert ann.post("/api/v1/approvals/99999999999/decision", json={"decision": "approve"}).status_code == 404
    assert ann.get("/api/v1/approvals?limit=0").status_code == 422
    assert ann.get("/api/v1/approvals?cursor=nonsense").status_code == 400
    # the requester can see the ticket, but was not asked
    mine = people["rita"].post(f"/api/v1/approvals/{approval_id}/decision", json={"decision": "approve"})
    assert mine.status_code == 403 and error_of(mine)["details"][0]["code"] == "not_approver"
    assert approval_of(people["rita"], ticket_id)["status"] == "pending"
    assert all(a["decision"] is None for a in approval_of(people["rita"], ticket_id)["approvers"])


def test_the_queue_pages_with_a_cursor(app, office):
    publish(office["admin"], {"approvers": {"users": ["ann@example.com"]}, "on_approve": "approve",
                              "on_reject": "reject"})
    for _ in range(3):
        asked(app)
    ann = login(app, "ann@example.com")
    first = ann.get("/api/v1/approvals?limit=2").json
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = ann.get(f"/api/v1/approvals?limit=2&cursor={first['next_cursor']}").json
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    assert len({a["id"] for a in first["items"] + rest["items"]}) == 3


# --------------------------------------------------------------------------- the one-click links


def _links(app, email: str) -> dict[str, str]:
    """The approve and reject tokens of the last approval e-mail queued for ``email``."""
    from platform_core.db import get_session
    from runtime.notify.models import OutboxMessage

    with app.app_context():
        message = get_session().scalars(select(OutboxMessage).where(OutboxMessage.channel == "email",
                                                                   OutboxMessage.target == email,
                                                                   OutboxMessage.event == "approval")
                                        .order_by(OutboxMessage.id.desc())).first()
        assert message is not None
        text = message.payload["text"]
    urls = re.findall(r"https://desk\.example\.com/approval-link\?token=\S+", text)
    assert len(urls) == 2, text
    tokens = [parse_qs(urlparse(url).query)["token"][0] for url in urls]
    return {"approve": tokens[0], "reject": tokens[1]}


def test_the_signed_link_confirms_on_get_and_decides_on_post_once(app, office):
    publish(office["admin"])
    with at(START):
        ticket_id, people = asked(app)
        tokens = _links(app, "ann@example.com")
        anonymous = Api(app.test_client())
        shown = anonymous.get("/api/v1/approval-links", query_string={"token": tokens["approve"]})
        assert shown.status_code == 200, shown.json
        assert shown.json["decision"] == "approve" and shown.json["approver"]["email"] == "ann@example.com"
        assert shown.json["approval"]["ticket"]["id"] == ticket_id and shown.json["approval"]["can_decide"]
        assert approval_of(people["rita"], ticket_id)["status"] == "pending"  # a GET decides nothing

        tampered = tokens["approve"][:-3] + ("aaa" if not tokens["approve"].endswith("aaa") else "bbb")
        for bad in (tampered, "not-a-token", tokens["approve"].replace(".", "", 1)):
            answer = anonymous.post("/api/v1/approval-links", json={"token": bad})
            assert answer.status_code == 410 and error_of(answer)["details"][0]["path"] == "/token"
        other = anonymous.post("/api/v1/approval-links", json={"token": tokens["approve"], "decision": "reject"})
        assert other.status_code == 422 and error_of(other)["details"][0]["path"] == "/decision"
        reject_bare = anonymous.post("/api/v1/approval-links", json={"token": tokens["reject"]})
        assert reject_bare.status_code == 422 and error_of(reject_bare)["details"][0]["path"] == "/comment"

        decided = anonymous.post("/api/v1/approval-links", json={"token": tokens["approve"], "comment": "OK by mail"})
        assert decided.status_code == 200, decided.json
        assert decided.json["status"] == "approved" and decided.json["approvers"][0]["via"] == "link"
        twice = anonymous.post("/api/v1/approval-links", json={"token": tokens["approve"]})
        assert twice.status_code == 409
    assert people["rita"].get(f"/api/v1/tickets/{ticket_id}").json["status"] == "ordered"
    with at(START + timedelta(days=15)):
        expired = Api(app.test_client()).get("/api/v1/approval-links", query_string={"token": tokens["reject"]})
        assert expired.status_code == 410 and "expired" in error_of(expired)["message"]


def test_a_chat_channels_link_asks_whoever_opens_it_to_sign_in(app, office):
    from platform_core.db import get_session
    from runtime.notify.models import OutboxMessage

    made = office["admin"].post("/api/v1/chat-endpoints", json={"key": "buyers", "kind": "slack",
                                                                "url": "http://127.0.0.1:9/hook"})
    assert made.status_code == 201, made.json
    publish(office["admin"], {**PURCHASE["workflow"]["states"][1]["approval"], "channels": ["slack"]})
    _, people = asked(app)
    with app.app_context():
        posted = get_session().scalars(select(OutboxMessage).where(OutboxMessage.channel == "slack")).all()
        bodies = [json.dumps(message.payload) for message in posted]
    assert len(bodies) == 1 and "awaits your approval" in bodies[0]
    token = parse_qs(urlparse(re.search(r"https://desk\.example\.com/approval-link\?token=[^\s\"\\|>]+",
                                        bodies[0]).group(0)).query)["token"][0]
    anonymous = Api(app.test_client())
    shown = anonymous.get("/api/v1/approval-links", query_string={"token": token}).json
    assert shown["needs_sign_in"] is True and shown["decision"] is None and shown["approval"]["can_decide"] is False
    assert anonymous.post("/api/v1/approval-links", json={"token": token, "decision": "approve"}).status_code == 401
    # signed in, someone not asked is refused; an approver decides as themselves
    refused = people["sam"].post("/api/v1/approval-links", json={"token": token, "decision": "approve"})
    assert refused.status_code in (403, 404)
    assert people["ben"].get("/api/v1/approval-links", query_string={"token": token}).json["approval"]["can_decide"]
    decided = people["ben"].post("/api/v1/approval-links", json={"token": token, "decision": "approve"})
    assert decided.status_code == 200 and decided.json["status"] == "approved"
    assert [a["user"]["email"] for a in decided.json["approvers"] if a["decision"]] == ["ben@example.com"]
