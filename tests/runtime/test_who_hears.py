"""Who hears of a comment (issue 14, point 9): a public reply reaches the requester (in-app, and by e-mail as
she prefers), an internal one never does; the requester's reply reaches the assignee; mentions reach the
mentioned; watchers hear what they may read, by their own preferences. Through a real SMTP server."""

# ruff: noqa: RUF001  (the Chinese texts use full-width punctuation, as they should)

from __future__ import annotations

from tests.support.mailing import mailing_app, mailing_smtp  # noqa: F401  (`app`, `smtp`: e-mail sent for real)
from tests.support.notifications import file_ticket, login, outbox_rows, staff_the_desk
from tests.support.servers import text_of


def _inbox(client, kind=None):
    items = client.get("/api/v1/notifications").json["items"]
    return [n["message"] for n in items if kind is None or n["kind"] == kind]


def test_replies_reach_the_requester_internal_notes_never_and_watchers_by_their_settings(app, admin, make_user, smtp):
    ids = staff_the_desk(app, admin, make_user)
    ticket = file_ticket(app, "rita@example.com")  # Rita reads Chinese; Olive is assigned, Bo told it was routed
    tid = ticket["id"]
    smtp.wait_for(2)
    olive, sam, rita, nina, bo = (login(app, f"{n}@example.com") for n in ("olive", "sam", "rita", "nina", "bo"))

    # Sam (staff of the ticket) watches it but wants no e-mail about what he watches; Nina (another team) watches
    # it too, so she may read its public side, not its internal notes.
    assert olive.post(f"/api/v1/tickets/{tid}/watchers", json={"user_id": ids["sam"]}).status_code in (200, 201)
    assert olive.post(f"/api/v1/tickets/{tid}/watchers", json={"user_id": ids["nina"]}).status_code in (200, 201)
    assert sam.put("/api/v1/me/notification-preferences", json={"kinds": {"watched": ["in_app"]}}).status_code == 200

    # A public reply: Rita hears it in her language, in-app and by e-mail; Sam in-app only; Nina as she prefers.
    assert olive.post(f"/api/v1/tickets/{tid}/comments", json={"body": "We are on it: the PDU of rack 12."}).status_code == 201
    assert _inbox(rita, "replied") == ["Olive 回复了 INC-000001（server down in Shanghai DC）：We are on it: the PDU of rack 12."]
    assert _inbox(sam, "watched") == [
        "Olive commented on INC-000001 (server down in Shanghai DC), which you watch: We are on it: the PDU of rack 12."]
    assert len(_inbox(nina, "watched")) == 1 and _inbox(olive, "replied") == []
    mail = {m["To"]: m for m in smtp.wait_for(4)}["rita@example.com"]
    assert mail["Subject"] == "[INC-000001] 新回复：server down in Shanghai DC"
    assert "Olive 回复了 INC-000001" in text_of(mail)

    # An internal note with a mention: Bo is mentioned, Sam (staff) hears it as a watcher; Rita and Nina nothing.
    note = olive.post(f"/api/v1/tickets/{tid}/comments",
                      json={"body": "@bo@example.com the PDU again, spare in stock?", "internal": True})
    assert note.status_code == 201
    assert len(_inbox(bo, "mentioned")) == 1 and len(_inbox(sam, "watched")) == 2
    assert len(_inbox(rita)) == 1 and all("PDU again" not in m for m in _inbox(rita))
    assert len(_inbox(nina)) == 1
    assert not [r for r in outbox_rows(app, target="rita@example.com") if "PDU again" in str(r["payload"])]

    # The requester answers: the assignee hears it (and Sam as a watcher), she herself does not.
    assert rita.post(f"/api/v1/tickets/{tid}/comments", json={"body": "Thanks, rack 12 it is."}).status_code == 201
    assert _inbox(olive, "replied") == [
        "Rita replied on INC-000001 (server down in Shanghai DC): Thanks, rack 12 it is."]
    assert len(_inbox(sam, "watched")) == 3 and len(_inbox(rita)) == 1
    emails = {(r["target"], r["event"]) for r in outbox_rows(app, channel="email")}
    assert ("olive@example.com", "replied") in emails and ("bo@example.com", "mentioned") in emails
    assert not any(target == "sam@example.com" and event == "watched" for target, event in emails)  # his settings
    assert [event for target, event in emails if target == "nina@example.com"] == ["watched"]  # the public reply

    # Preferences list the new kinds, so people can change them.
    kinds = rita.get("/api/v1/me/notification-preferences").json["kinds"]
    assert kinds["replied"] == ["in_app", "email"] and kinds["watched"] == ["in_app", "email"]
