"""What the workspace's default queues ask for (everything not closed) and marking the inbox read at once."""

from __future__ import annotations

from sqlalchemy import update

from tests.conftest import error_of
from tests.runtime.test_portal import INCIDENT, desk, login  # noqa: F401  (desk is a fixture)


def _close(app, ticket_id: int) -> None:
    from platform_core.db import get_session
    from runtime.tickets.models import Ticket

    with app.app_context():
        session = get_session()
        session.execute(update(Ticket).where(Ticket.id == ticket_id).values(status="closed", status_category="closed"))
        session.commit()


def test_a_queue_can_ask_for_several_status_categories_so_my_teams_leaves_closed_tickets_out(app, desk):  # noqa: F811
    rita = login(app, "rita@example.com")
    done, open_one = (rita.post("/api/v1/tickets", json={"type": "it-incident", "data": INCIDENT}).json for _ in range(2))
    _close(app, done["id"])
    sam = login(app, "sam@example.com")
    assert {t["id"] for t in sam.get("/api/v1/tickets?team=mine").json["items"]} == {done["id"], open_one["id"]}
    # What the workspace's "My teams" and "My tickets" queues now ask for.
    not_closed = sam.get("/api/v1/tickets?team=mine&status_category=new,open,pending,resolved")
    assert not_closed.status_code == 200
    assert [t["id"] for t in not_closed.json["items"]] == [open_one["id"]]
    assert [t["id"] for t in sam.get("/api/v1/tickets?status_category=closed").json["items"]] == [done["id"]]
    bad = sam.get("/api/v1/tickets?status_category=open,finished")
    assert bad.status_code == 422
    detail = error_of(bad)["details"][0]
    assert detail["path"].startswith("/status_category") and detail["location"] == "query"
    # A saved filter keeps the list as it is.
    saved = sam.post("/api/v1/me/saved-filters", json={"name": "Open work",
                                                      "query": {"team": "mine", "status_category": "new,open,pending"}})
    assert saved.status_code == 201, saved.json


def test_mark_all_read_reads_only_yours_and_only_up_to_what_you_saw(app, desk):  # noqa: F811
    from platform_core.db import get_session
    from runtime.notify.models import Notification

    with app.app_context():
        session = get_session()
        for who, text in [(desk["sam"], "one"), (desk["sam"], "two"), (desk["nina"], "nina's"), (desk["sam"], "three")]:
            session.add(Notification(user_id=who, kind="assigned", message=text))
        session.commit()
    sam = login(app, "sam@example.com")
    unread = sam.get("/api/v1/notifications?unread=true").json["items"]
    assert [n["message"] for n in unread] == ["three", "two", "one"]

    # The panel showed "two" and "one" before "three" arrived: those are read, "three" stays unread.
    marked = sam.post("/api/v1/notifications/read-all", json={"up_to_id": unread[1]["id"]})
    assert marked.status_code == 200 and marked.json == {"marked": 2}
    assert [n["message"] for n in sam.get("/api/v1/notifications?unread=true").json["items"]] == ["three"]

    everything = sam.post("/api/v1/notifications/read-all")
    assert everything.status_code == 200 and everything.json == {"marked": 1}
    assert sam.get("/api/v1/notifications?unread=true").json["items"] == []
    assert sam.post("/api/v1/notifications/read-all", json={}).json == {"marked": 0}
    nina = login(app, "nina@example.com")
    assert [n["message"] for n in nina.get("/api/v1/notifications?unread=true").json["items"]] == ["nina's"]

    wrong = sam.post("/api/v1/notifications/read-all", json={"up_to_id": "latest"})
    assert wrong.status_code == 422 and error_of(wrong)["details"][0]["path"] == "/up_to_id"
