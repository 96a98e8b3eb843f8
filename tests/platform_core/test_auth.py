"""Login, sessions, CSRF, throttling and API tokens, through the HTTP API."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from platform_core.auth.models import ApiToken, AuthSession
from platform_core.db import get_session, utcnow
from tests.conftest import PASSWORD, Api, error_of


def test_login_sets_an_httponly_lax_cookie_and_returns_the_csrf_token(api, make_user):
    make_user("ann@example.com", ["agent"])
    response = api.login("ANN@example.com ", PASSWORD)  # email is case- and space-insensitive
    assert response.status_code == 200
    assert response.json["user"]["email"] == "ann@example.com"
    assert response.json["user"]["roles"] == ["agent"]
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("gongdan_session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert len(response.json["csrf_token"]) > 20
    assert api.get("/api/v1/me").json["csrf_token"] == response.json["csrf_token"]


def test_cookie_is_secure_behind_https(app, make_user):
    make_user("ann@example.com")
    client = app.test_client()
    response = client.post("/api/v1/auth/login", json={"email": "ann@example.com", "password": PASSWORD},
                           base_url="https://gongdan.example.com")
    assert "Secure" in response.headers["Set-Cookie"]


def test_wrong_password_is_401_json_without_a_session(api, make_user):
    make_user("ann@example.com")
    response = api.login("ann@example.com", "wrong password!")
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"
    assert "Set-Cookie" not in response.headers
    assert api.get("/api/v1/me").status_code == 401


def test_unknown_and_deactivated_accounts_cannot_log_in(api, make_user):
    make_user("gone@example.com", active=False)
    assert api.login("gone@example.com", PASSWORD).status_code == 401
    assert api.login("nobody@example.com", PASSWORD).status_code == 401


def test_repeated_failures_for_one_account_are_throttled_with_retry_after(api, app, make_user):
    make_user("ann@example.com")
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        assert api.login("ann@example.com", "wrong password!").status_code == 401
    response = api.login("ann@example.com", PASSWORD)  # even the right password waits
    assert response.status_code == 429
    assert error_of(response)["code"] == "rate_limited"
    assert 0 < int(response.headers["Retry-After"]) <= app.config["LOGIN_WINDOW_SECONDS"] + 1


def test_repeated_failures_from_one_address_are_throttled(app, make_user):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    make_user("ann@example.com")
    client = Api(app.test_client())
    for i in range(3):
        assert client.login(f"guess{i}@example.com", "nope-nope-nope").status_code == 401
    assert client.login("ann@example.com", PASSWORD).status_code == 429
    other = app.test_client()  # another address is not affected
    response = other.post("/api/v1/auth/login", json={"email": "ann@example.com", "password": PASSWORD},
                          environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert response.status_code == 200


def test_a_successful_login_clears_the_account_failures(api, app, make_user):
    make_user("ann@example.com")
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit - 1):
        api.login("ann@example.com", "wrong password!")
    assert api.login("ann@example.com", PASSWORD).status_code == 200
    for _ in range(limit - 1):
        api.login("ann@example.com", "wrong password!")
    assert api.login("ann@example.com", PASSWORD).status_code == 200


def test_cookie_writes_need_the_csrf_header(api, make_user):
    make_user("ann@example.com")
    api.login("ann@example.com", PASSWORD)
    missing = api.client.patch("/api/v1/me", json={"name": "Ann B"})
    assert missing.status_code == 403
    assert error_of(missing)["code"] == "csrf_failed"
    wrong = api.client.patch("/api/v1/me", json={"name": "Ann B"}, headers={"X-CSRF-Token": "forged"})
    assert wrong.status_code == 403
    assert api.get("/api/v1/me").json["user"]["name"] == "Ann"  # nothing changed
    ok = api.patch("/api/v1/me", json={"name": "Ann B"})
    assert ok.status_code == 200 and ok.json["user"]["name"] == "Ann B"


def test_logout_ends_the_session_everywhere(api, app, make_user):
    make_user("ann@example.com")
    api.login("ann@example.com", PASSWORD)
    cookie = api.client.get_cookie("gongdan_session").value
    assert api.post("/api/v1/auth/logout").status_code == 204
    assert api.get("/api/v1/me").status_code == 401
    replay = app.test_client()
    replay.set_cookie("gongdan_session", cookie)
    assert replay.get("/api/v1/me").status_code == 401


def test_expired_sessions_are_refused(api, app, make_user):
    make_user("ann@example.com")
    api.login("ann@example.com", PASSWORD)
    with app.app_context():
        session = get_session()
        for row in session.scalars(select(AuthSession)):
            row.expires_at = utcnow() - timedelta(seconds=1)
        session.commit()
    assert api.get("/api/v1/me").status_code == 401


def test_changing_your_password_needs_the_current_one(api, make_user):
    make_user("ann@example.com")
    api.login("ann@example.com", PASSWORD)
    wrong = api.patch("/api/v1/me", json={"current_password": "nope", "new_password": "a new long secret"})
    assert wrong.status_code == 422
    assert error_of(wrong)["details"][0]["path"] == "/current_password"
    weak = api.patch("/api/v1/me", json={"current_password": PASSWORD, "new_password": "short"})
    assert error_of(weak)["details"][0]["path"] == "/new_password"
    assert api.patch("/api/v1/me", json={"current_password": PASSWORD,
                                         "new_password": "a new long secret"}).status_code == 200
    assert api.get("/api/v1/me").status_code == 200  # this session survives
    assert Api(api.client.application.test_client()).login("ann@example.com", "a new long secret").status_code == 200


def test_api_tokens_are_shown_once_hashed_at_rest_and_revocable(api, app, make_user):
    make_user("mes@example.com", ["requester"])
    api.login("mes@example.com", PASSWORD)
    created = api.post("/api/v1/auth/tokens", json={"name": "MES line 3"})
    assert created.status_code == 201
    secret = created.json["secret"]
    assert secret.startswith("gd_") and created.json["token"]["prefix"] == secret[:8]
    listed = api.get("/api/v1/auth/tokens").json["items"]
    assert [t["name"] for t in listed] == ["MES line 3"] and "secret" not in listed[0]
    with app.app_context():
        stored = get_session().scalars(select(ApiToken)).one()
        assert secret not in stored.token_hash and stored.last_used_at is None

    bearer = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    me = bearer.get("/api/v1/me", headers=headers)
    assert me.status_code == 200 and me.json["user"]["email"] == "mes@example.com"
    assert me.json["csrf_token"] is None
    # Bearer writes need no CSRF token.
    assert bearer.patch("/api/v1/me", json={"locale": "zh-CN"}, headers=headers).status_code == 200
    used = api.get("/api/v1/auth/tokens").json["items"][0]
    assert used["last_used_at"] is not None

    assert api.delete(f"/api/v1/auth/tokens/{used['id']}").status_code == 204
    refused = bearer.get("/api/v1/me", headers=headers)
    assert refused.status_code == 401 and error_of(refused)["code"] == "unauthorized"


def test_bad_authorization_headers_are_401(app):
    client = app.test_client()
    for header in ("Basic abc", "Bearer", "Bearer gd_unknown", "Bearer not-ours"):
        response = client.get("/api/v1/me", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert error_of(response)["message"]


def test_expired_tokens_are_refused(api, app, make_user):
    make_user("mes@example.com")
    api.login("mes@example.com", PASSWORD)
    secret = api.post("/api/v1/auth/tokens", json={"name": "MES"}).json["secret"]
    with app.app_context():
        session = get_session()
        session.scalars(select(ApiToken)).one().expires_at = utcnow() - timedelta(minutes=1)
        session.commit()
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_token_expiry_must_be_in_the_future(api, make_user):
    make_user("mes@example.com")
    api.login("mes@example.com", PASSWORD)
    response = api.post("/api/v1/auth/tokens", json={"name": "MES", "expires_at": "2001-01-01T00:00:00Z"})
    assert response.status_code == 422 and error_of(response)["details"][0]["path"] == "/expires_at"
    naive = api.post("/api/v1/auth/tokens", json={"name": "MES", "expires_at": "2099-01-01T00:00:00"})
    assert naive.status_code == 422 and error_of(naive)["details"][0]["path"] == "/expires_at"


def test_you_cannot_revoke_someone_elses_token(api, app, make_user):
    make_user("a@example.com")
    make_user("b@example.com")
    api.login("a@example.com", PASSWORD)
    token_id = api.post("/api/v1/auth/tokens", json={"name": "A"}).json["token"]["id"]
    other = Api(app.test_client())
    other.login("b@example.com", PASSWORD)
    assert other.delete(f"/api/v1/auth/tokens/{token_id}").status_code == 404


def test_deactivating_a_user_ends_their_sessions_and_tokens(admin, app, make_user):
    uid = make_user("ann@example.com", ["agent"])
    ann = Api(app.test_client())
    ann.login("ann@example.com", PASSWORD)
    secret = ann.post("/api/v1/auth/tokens", json={"name": "script"}).json["secret"]
    assert admin.delete(f"/api/v1/users/{uid}").status_code == 204
    assert ann.get("/api/v1/me").status_code == 401
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
