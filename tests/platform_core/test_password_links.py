"""Invitations and password resets (issue 14, point 10): signed, single-use, expiring links; e-mailed when SMTP is
set up, else shown to the admin to hand over; the reset request is throttled and never says whether an address
has an account."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlparse

import pytest

from tests.conftest import PASSWORD, Api, error_of
from tests.support.notifications import make_app, outbox_settings
from tests.support.servers import SmtpServer, text_of

NEW_PASSWORD = "a much longer secret 42"


def _token(url: str) -> str:
    return parse_qs(urlparse(url).query)["token"][0]


def _login(app, email, password):
    return Api(app.test_client()).login(email, password)


def test_without_smtp_the_admin_hands_over_an_invitation_that_works_once(app, admin, make_user):
    user_id = make_user("newbie@example.com", ["requester"], password=None, name="Newbie")
    sent = admin.post(f"/api/v1/users/{user_id}/password-link")
    assert sent.status_code == 201, sent.json
    assert sent.json["purpose"] == "invite" and sent.json["emailed"] is False
    url = sent.json["url"]
    assert url.startswith("http://127.0.0.1:5000/set-password?token=")
    token = _token(url)

    anyone = Api(app.test_client())  # the link needs no login
    shown = anyone.get("/api/v1/auth/password-link", query_string={"token": token})
    assert shown.status_code == 200 and shown.json["purpose"] == "invite" and shown.json["email"] == "newbie@example.com"

    weak = anyone.post("/api/v1/auth/password-link", json={"token": token, "password": "short"})
    assert weak.status_code == 422 and error_of(weak)["details"][0]["path"] == "/password"
    assert anyone.post("/api/v1/auth/password-link", json={"token": token, "password": NEW_PASSWORD}).status_code == 204
    assert _login(app, "newbie@example.com", NEW_PASSWORD).status_code == 200

    # Single use: the same link again is spent, and says so on its field.
    again = anyone.post("/api/v1/auth/password-link", json={"token": token, "password": "another long secret 7"})
    assert again.status_code == 410 and error_of(again)["details"][0]["path"] == "/token"
    assert anyone.get("/api/v1/auth/password-link", query_string={"token": token}).status_code == 410
    tampered = anyone.get("/api/v1/auth/password-link", query_string={"token": token[:-3] + "abc"})
    assert tampered.status_code == 410

    # An account with a password gets a reset link; only admins send them.
    assert admin.post(f"/api/v1/users/{user_id}/password-link").json["purpose"] == "reset"
    newbie = Api(app.test_client())
    newbie.login("newbie@example.com", NEW_PASSWORD)
    assert newbie.post(f"/api/v1/users/{user_id}/password-link").status_code == 403


def test_links_expire(app, admin, make_user):
    user_id = make_user("late@example.com", ["requester"], password=None)
    token = _token(admin.post(f"/api/v1/users/{user_id}/password-link").json["url"])
    assert Api(app.test_client()).get("/api/v1/auth/password-link", query_string={"token": token}).status_code == 200
    app.config["INVITE_LINK_HOURS"] = 0  # a link lives as long as the setting says when it is used
    expired = Api(app.test_client()).post("/api/v1/auth/password-link", json={"token": token, "password": NEW_PASSWORD})
    assert expired.status_code == 410 and "expired" in error_of(expired)["message"]
    assert _login(app, "late@example.com", NEW_PASSWORD).status_code == 401


@pytest.fixture
def smtp(tmp_path):
    with SmtpServer(tmp_path / "spool") as server:
        yield server


@pytest.fixture
def mail_app(database_url, tmp_path, smtp):
    app = make_app(database_url, tmp_path, **outbox_settings(smtp.port, RESET_MAX_PER_ACCOUNT=2))
    yield app
    app.extensions["gongdan_db"].engine.dispose()


def test_a_reset_by_email_says_nothing_about_who_exists_and_is_throttled(mail_app, smtp):
    from platform_core.auth import services
    from platform_core.db import get_session

    app = mail_app
    with app.app_context():
        services.ensure_built_in_roles(get_session())
        services.create_user(get_session(), email="mei@example.com", name="王梅", roles=["requester"],
                             password=PASSWORD, locale="zh-CN", actor_id=None)
    anyone = Api(app.test_client())
    known = anyone.post("/api/v1/auth/password-reset", json={"email": " Mei@Example.com "})
    unknown = anyone.post("/api/v1/auth/password-reset", json={"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 202 and known.json == unknown.json  # the same answer

    mail = smtp.wait_for(1)[0]
    assert mail["To"] == "mei@example.com" and mail["Subject"] == "重置您的工单系统密码"
    url = re.search(r"https://desk\.example\.com/set-password\?token=\S+", text_of(mail)).group(0)
    token = unquote(_token(url))
    assert anyone.post("/api/v1/auth/password-link", json={"token": token, "password": NEW_PASSWORD}).status_code == 204
    assert _login(app, "mei@example.com", PASSWORD).status_code == 401
    assert _login(app, "mei@example.com", NEW_PASSWORD).status_code == 200
    assert len(smtp.wait_for(1)) == 1  # nothing went to the unknown address

    # Throttled per address, alike for addresses with and without an account.
    anyone.post("/api/v1/auth/password-reset", json={"email": "nobody@example.com"})
    for email in ("nobody@example.com", "mei@example.com"):
        while (answer := anyone.post("/api/v1/auth/password-reset", json={"email": email})).status_code == 202:
            pass
        assert answer.status_code == 429 and int(answer.headers["Retry-After"]) > 0
