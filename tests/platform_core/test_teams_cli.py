"""``gongdan teams`` does everything the admin UI does for teams (issue 14, point 11): supervisor, manager, members,
key, name, description, deletion and the on-duty roster; what it changes is what the API then shows."""

from __future__ import annotations

import json
from datetime import timedelta

from gongdan.cli import main
from platform_core.db import utcnow


def _run(app, *args, input=None):
    return app.test_cli_runner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_the_teams_command_manages_everything_the_ui_does(app, admin, make_user):
    for name in ("boss", "chief", "olive", "sam"):
        make_user(f"{name}@example.com", ["agent"], name=name.title())

    created = _run(app, "teams", "create", "--key", "east-ops", "--name", "East ops", "--description", "Servers",
                   "--supervisor", "boss@example.com", "--member", "olive@example.com", "--member", "sam@example.com")
    assert created.exit_code == 0, created.output

    # Supervisor and manager, set and taken away; the API shows what the command did.
    updated = _run(app, "teams", "update", "east-ops", "--manager", "chief@example.com", "--supervisor", "sam@example.com",
                   "--name", "East operations")
    assert updated.exit_code == 0, updated.output
    assert "supervisor Sam <sam@example.com>, manager Chief <chief@example.com>, 2 member(s)" in updated.output
    team = {t["key"]: t for t in admin.get("/api/v1/teams").json["items"]}["east-ops"]
    assert team["name"] == "East operations" and team["description"] == "Servers"
    assert team["supervisor"]["email"] == "sam@example.com" and team["manager"]["email"] == "chief@example.com"
    assert _run(app, "teams", "update", "east-ops", "--no-manager").exit_code == 0
    assert admin.get(f"/api/v1/teams/{team['id']}").json["manager"] is None

    # Members: one at a time, or the whole set; unknown people and teams are refused, naming the option.
    assert _run(app, "teams", "remove-member", "--team", "east-ops", "--email", "sam@example.com").exit_code == 0
    assert [m["email"] for m in admin.get(f"/api/v1/teams/{team['id']}").json["members"]] == ["olive@example.com"]
    unknown = _run(app, "teams", "update", "east-ops", "--member", "ghost@example.com")
    assert unknown.exit_code == 2 and "--member" in unknown.output and "ghost@example.com" in unknown.output
    assert _run(app, "teams", "update", "nope", "--name", "X").exit_code == 1
    assert _run(app, "teams", "update", "east-ops").exit_code == 2  # nothing to change
    assert _run(app, "teams", "update", "east-ops", "--member", "olive@example.com", "--member", "sam@example.com",
                "--key", "east-senior-ops").exit_code == 0

    # The on-duty roster.
    start = (utcnow() - timedelta(hours=1)).replace(microsecond=0)
    shift = _run(app, "teams", "add-shift", "--team", "east-senior-ops", "--email", "olive@example.com",
                 "--starts", start.isoformat(), "--hours", "8")
    assert shift.exit_code == 0, shift.output
    assert "Olive <olive@example.com>" in _run(app, "teams", "on-duty", "east-senior-ops").output
    outsider = _run(app, "teams", "add-shift", "--team", "east-senior-ops", "--email", "boss@example.com",
                    "--starts", start.isoformat(), "--hours", "1")
    assert outsider.exit_code == 1 and "--email User" in outsider.output and "not a member" in outsider.output
    shown = json.loads(_run(app, "teams", "show", "east-senior-ops", "--json").output)
    assert shown["members"] == ["olive@example.com", "sam@example.com"] and shown["supervisor"] == "sam@example.com"
    assert [s["user"] for s in shown["shifts"]] == ["olive@example.com"]
    shift_id = shown["shifts"][0]["id"]
    assert _run(app, "teams", "remove-shift", "--team", "east-senior-ops", "--shift", str(shift_id)).exit_code == 0
    assert "Nobody is on duty" in _run(app, "teams", "on-duty", "east-senior-ops").output

    listed = _run(app, "teams", "list").output
    assert "east-senior-ops\tEast operations\t2 member(s)\tsupervisor: Sam <sam@example.com>\tmanager: —" in listed
    audit = admin.get("/api/v1/audit", query_string={"target_type": "team"}).json["items"]
    assert {"team.created", "team.updated", "team.member_removed", "team.shift_added"} <= {e["action"] for e in audit}

    assert _run(app, "teams", "delete", "east-senior-ops", input="n\n").exit_code == 1  # asked, and said no
    assert _run(app, "teams", "delete", "east-senior-ops", "--yes").exit_code == 0
    assert admin.get("/api/v1/teams").json["items"] == []
