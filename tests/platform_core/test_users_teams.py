"""Users, roles, teams, rosters and the audit log through the admin API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.conftest import PASSWORD, Api, error_of


def test_admin_creates_reads_updates_and_deactivates_a_user(admin):
    created = admin.post("/api/v1/users", json={
        "email": "Bo@Example.com", "name": "Bo", "roles": ["agent", "designer"], "password": "a long password",
        "locale": "zh-CN", "time_zone": "Asia/Shanghai"})
    assert created.status_code == 201, created.json
    user = created.json
    assert user["email"] == "bo@example.com" and user["roles"] == ["agent", "designer"]
    assert "password" not in user and "password_hash" not in user
    assert admin.get(f"/api/v1/users/{user['id']}").json == user

    patched = admin.patch(f"/api/v1/users/{user['id']}", json={"name": "Bo Li", "roles": ["agent"]})
    assert patched.json["name"] == "Bo Li" and patched.json["roles"] == ["agent"]
    assert admin.delete(f"/api/v1/users/{user['id']}").status_code == 204
    assert admin.get(f"/api/v1/users/{user['id']}").json["active"] is False
    assert admin.patch(f"/api/v1/users/{user['id']}", json={"active": True}).json["active"] is True


def test_user_input_errors_name_the_field_and_change_nothing(admin):
    cases = [
        ({"email": "not-an-email", "name": "X"}, "/email"),
        ({"email": "x@example.com"}, "/name"),
        ({"email": "x@example.com", "name": "X", "roles": ["wizard"]}, "/roles/0"),
        ({"email": "x@example.com", "name": "X", "time_zone": "Mars/Olympus"}, "/time_zone"),
        ({"email": "x@example.com", "name": "X", "locale": "fr"}, "/locale"),
        ({"email": "x@example.com", "name": "X", "password": "short"}, "/password"),
        ({"email": "x@example.com", "name": "X", "colour": "red"}, "/colour"),
        ({"email": "x@example.com", "name": "X", "roles": "agent"}, "/roles"),
    ]
    for body, path in cases:
        response = admin.post("/api/v1/users", json=body)
        assert response.status_code == 422, (body, response.json)
        assert path in [d["path"] for d in error_of(response)["details"]], (body, response.json)
    emails = [u["email"] for u in admin.get("/api/v1/users").json["items"]]
    assert emails == ["admin@example.com"]


def test_duplicate_email_is_409(admin):
    assert admin.post("/api/v1/users", json={"email": "a@example.com", "name": "A"}).status_code == 201
    response = admin.post("/api/v1/users", json={"email": "A@example.com", "name": "A2"})
    assert response.status_code == 409 and error_of(response)["details"][0]["path"] == "/email"


def test_the_last_admin_cannot_be_removed_or_deactivate_themselves(admin):
    me = admin.get("/api/v1/me").json["user"]
    response = admin.patch(f"/api/v1/users/{me['id']}", json={"roles": ["agent"]})
    assert response.status_code == 409 and "last active admin" in error_of(response)["message"]
    assert admin.delete(f"/api/v1/users/{me['id']}").status_code == 409
    assert admin.get("/api/v1/me").json["user"]["roles"] == ["admin"]


def test_only_admins_manage_users_and_anonymous_gets_401(app, admin, make_user):
    make_user("agent@example.com", ["agent"])
    agent = Api(app.test_client())
    agent.login("agent@example.com", PASSWORD)
    for method, path in [("GET", "/api/v1/users"), ("POST", "/api/v1/users"), ("POST", "/api/v1/teams"),
                         ("POST", "/api/v1/roles"), ("GET", "/api/v1/audit")]:
        response = agent.request(method, path, json={})
        assert response.status_code == 403, (method, path, response.status_code)
        assert error_of(response)["code"] == "forbidden"
        assert app.test_client().open(path, method=method, json={}).status_code == 401


def test_user_list_pages_with_a_cursor_and_filters(admin):
    for i in range(7):
        admin.post("/api/v1/users", json={"email": f"u{i}@example.com", "name": f"User {i}"})
    admin.delete("/api/v1/users/3")
    seen, cursor = [], None
    while True:
        page = admin.get("/api/v1/users", query_string={"limit": 3, **({"cursor": cursor} if cursor else {})}).json
        seen += [u["name"] for u in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["Ada Admin"] + [f"User {i}" for i in range(7)]
    assert [u["name"] for u in admin.get("/api/v1/users?q=user 4").json["items"]] == ["User 4"]
    assert len(admin.get("/api/v1/users?active=false").json["items"]) == 1
    bad = admin.get("/api/v1/users?cursor=garbage")
    assert bad.status_code == 400 and error_of(bad)["details"][0]["path"] == "/cursor"
    assert admin.get("/api/v1/users?limit=0").status_code == 422


def test_custom_roles(admin):
    assert admin.post("/api/v1/roles", json={"name": "executive", "description": "Gets the worst news"}).status_code == 201
    names = {r["name"]: r["built_in"] for r in admin.get("/api/v1/roles").json["items"]}
    assert names == {"admin": True, "agent": True, "designer": True, "requester": True, "executive": False}
    assert admin.post("/api/v1/roles", json={"name": "executive"}).status_code == 409
    assert error_of(admin.post("/api/v1/roles", json={"name": "Bad Name"}))["details"][0]["path"] == "/name"
    uid = admin.post("/api/v1/users", json={"email": "ceo@example.com", "name": "CEO", "roles": ["executive"]}).json["id"]
    assert admin.delete("/api/v1/roles/executive").status_code == 409  # in use
    assert admin.delete("/api/v1/roles/admin").status_code == 409  # built in
    admin.patch(f"/api/v1/users/{uid}", json={"roles": ["requester"]})
    assert admin.delete("/api/v1/roles/executive").status_code == 204
    assert admin.delete("/api/v1/roles/executive").status_code == 404


def _user(admin, email, roles=("agent",)):
    return admin.post("/api/v1/users", json={"email": email, "name": email.split("@")[0].title(),
                                             "roles": list(roles)}).json["id"]


def test_team_lifecycle_with_supervisor_manager_and_members(admin):
    sup, mgr, a, b = (_user(admin, f"{n}@example.com") for n in ("sup", "mgr", "amy", "ben"))
    created = admin.post("/api/v1/teams", json={"key": "network-ops", "name": "Network ops",
                                                "supervisor_id": sup, "manager_id": mgr, "member_ids": [a, b, a]})
    assert created.status_code == 201, created.json
    team = created.json
    assert team["supervisor"]["id"] == sup and team["manager"]["id"] == mgr
    assert [m["name"] for m in team["members"]] == ["Amy", "Ben"]
    assert admin.post("/api/v1/teams", json={"key": "network-ops", "name": "Dup"}).status_code == 409
    assert admin.patch(f"/api/v1/teams/{team['id']}", json={"member_ids": [b]}).json["members"][0]["id"] == b
    assert len(admin.post(f"/api/v1/teams/{team['id']}/members", json={"user_id": a}).json["members"]) == 2
    assert len(admin.delete(f"/api/v1/teams/{team['id']}/members/{a}").json["members"]) == 1
    assert admin.get("/api/v1/teams?q=network").json["items"][0]["key"] == "network-ops"
    assert admin.delete(f"/api/v1/teams/{team['id']}").status_code == 204
    assert admin.get(f"/api/v1/teams/{team['id']}").status_code == 404


def test_team_errors_name_the_field(admin):
    cases = [({"key": "Bad Key", "name": "X"}, "/key"), ({"key": "ok"}, "/name"),
             ({"key": "ok", "name": "X", "supervisor_id": 999}, "/supervisor_id"),
             ({"key": "ok", "name": "X", "member_ids": [1, 999]}, "/member_ids/1")]
    for body, path in cases:
        response = admin.post("/api/v1/teams", json=body)
        assert response.status_code == 422, body
        assert error_of(response)["details"][0]["path"] == path, response.json
    assert admin.get("/api/v1/teams").json["items"] == []


def test_on_duty_roster(admin):
    amy, ben, outsider = (_user(admin, f"{n}@example.com") for n in ("amy", "ben", "out"))
    team = admin.post("/api/v1/teams", json={"key": "east-senior-ops", "name": "East senior ops",
                                             "member_ids": [amy, ben]}).json
    base = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    shifts = f"/api/v1/teams/{team['id']}/roster"
    day = admin.post(shifts, json={"user_id": amy, "starts_at": base.isoformat(),
                                   "ends_at": (base + timedelta(hours=8)).isoformat()})
    assert day.status_code == 201, day.json
    night = admin.post(shifts, json={"user_id": ben, "starts_at": "2026-11-23T17:00:00+08:00",
                                     "ends_at": "2026-11-24T01:00:00+08:00"})
    assert night.json["starts_at"].startswith("2026-11-23T09:00:00")  # stored and shown in UTC
    on_duty = f"/api/v1/teams/{team['id']}/on-duty"
    assert [u["id"] for u in admin.get(on_duty, query_string={"at": "2026-11-23T03:00:00+00:00"}).json["users"]] == [amy]
    assert [u["id"] for u in admin.get(on_duty, query_string={"at": "2026-11-23T10:00:00+00:00"}).json["users"]] == [ben]
    assert admin.get(on_duty, query_string={"at": "2026-11-23T18:00:00+00:00"}).json["users"] == []
    window = admin.get(shifts, query_string={"from": "2026-11-23T08:00:00+00:00", "to": "2026-11-23T09:30:00+00:00"})
    assert len(window.json["items"]) == 2

    errors = [({"user_id": outsider, "starts_at": base.isoformat(), "ends_at": (base + timedelta(hours=1)).isoformat()},
               "/user_id"),
              ({"user_id": amy, "starts_at": base.isoformat(), "ends_at": base.isoformat()}, "/ends_at"),
              ({"user_id": amy, "starts_at": "2026-11-23T08:00:00", "ends_at": "2026-11-23T09:00:00Z"}, "/starts_at")]
    for body, path in errors:
        response = admin.post(shifts, json=body)
        assert response.status_code == 422 and error_of(response)["details"][0]["path"] == path, response.json

    admin.delete(f"/api/v1/teams/{team['id']}/roster/{day.json['id']}")
    assert len(admin.get(shifts).json["items"]) == 1
    admin.delete(f"/api/v1/users/{ben}")  # inactive people are never on duty
    assert admin.get(on_duty, query_string={"at": "2026-11-23T10:00:00+00:00"}).json["users"] == []


def test_admin_actions_are_in_the_audit_log(admin):
    uid = _user(admin, "amy@example.com")
    admin.patch(f"/api/v1/users/{uid}", json={"roles": ["agent", "designer"], "password": "another long one"})
    admin.post("/api/v1/teams", json={"key": "t", "name": "T"})
    entries = admin.get("/api/v1/audit").json["items"]
    actions = [e["action"] for e in entries]
    assert actions[:3] == ["team.created", "user.updated", "user.created"]
    updated = entries[1]
    assert updated["details"]["roles"] == [["agent"], ["agent", "designer"]]
    assert updated["details"]["password"] == ["(hidden)", "(changed)"]
    assert updated["actor_id"] == admin.get("/api/v1/me").json["user"]["id"]
    only_user = admin.get("/api/v1/audit", query_string={"target_type": "user", "target_id": str(uid)}).json["items"]
    assert {e["action"] for e in only_user} == {"user.created", "user.updated"}
    first = admin.get("/api/v1/audit?limit=2").json
    second = admin.get("/api/v1/audit", query_string={"limit": 2, "cursor": first["next_cursor"]}).json
    assert [e["id"] for e in first["items"]] + [e["id"] for e in second["items"]] == [e["id"] for e in entries[:4]]


def test_people_search_for_the_person_picker(app, admin, make_user):
    """GET /people: prefix of a name, a word of it or an email, case-insensitive, Chinese names by any part;
    active people only, with their teams; requesters see team people and whole addresses they type."""
    from tests.conftest import PASSWORD, Api

    ids = {
        "wei": make_user("zhang.wei@example.com", ["agent"], name="张伟"),
        "lin": make_user("lin@example.com", ["agent"], name="Lin Mei"),
        "maria": make_user("maria@example.com", ["requester"], name="María López"),
        "gone": make_user("gone@example.com", ["agent"], name="Linus Gone"),
        "rita": make_user("rita@example.com", ["requester"], name="Rita Requester"),
        "under": make_user("a_b@example.com", ["requester"], name="Under Score"),
    }
    assert admin.delete(f"/api/v1/users/{ids['gone']}").status_code == 204
    assert admin.post("/api/v1/teams", json={"key": "desk", "name": "Service desk",
                                             "member_ids": [ids["wei"], ids["lin"]]}).status_code == 201

    def names(client, **query):
        response = client.get("/api/v1/people", query_string=query)
        assert response.status_code == 200, response.json
        return [p["name"] for p in response.json["items"]]

    assert names(admin, q="LIN") == ["Lin Mei"]  # case-insensitive, the deactivated Linus left out
    assert names(admin, q="mei") == ["Lin Mei"]  # a later word of the name
    assert names(admin, q="ei") == []  # not the middle of a word
    assert names(admin, q="zhang") == ["张伟"]  # the email's user name
    assert names(admin, q="张") == ["张伟"] and names(admin, q="伟") == ["张伟"]
    assert names(admin, q="mar") == ["María López"]
    assert names(admin, q="a_") == ["Under Score"]  # _ and % are no wildcards
    assert names(admin, q="%") == []
    found = admin.get("/api/v1/people?q=lin").json["items"][0]
    assert set(found) == {"id", "name", "email", "teams"}
    assert found["email"] == "lin@example.com" and [t["key"] for t in found["teams"]] == ["desk"]

    page = admin.get("/api/v1/people?limit=2").json
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = admin.get("/api/v1/people", query_string={"limit": 50, "cursor": page["next_cursor"]}).json
    assert len(page["items"]) + len(rest["items"]) == 6  # the admin and five active people, each once
    assert not {p["id"] for p in page["items"]} & {p["id"] for p in rest["items"]}

    rita = Api(app.test_client())
    assert rita.login("rita@example.com", PASSWORD).status_code == 200
    assert names(rita) == ["Lin Mei", "张伟"]  # the people of teams, whom the Teams list shows anyway
    assert names(rita, q="mar") == []  # other requesters are not listed...
    assert names(rita, q="MARIA@example.com") == ["María López"]  # ...unless their whole address is typed
    assert Api(app.test_client()).get("/api/v1/people").status_code == 401
    for bad in ({"limit": 0}, {"limit": 51}, {"q": "x" * 201}):
        assert admin.get("/api/v1/people", query_string=bad).status_code == 422
