"""The gongdan command, run against the test database."""

from __future__ import annotations

import pytest

from gongdan.cli import main


def _run(app, *args):
    result = app.test_cli_runner().invoke(main, list(args), catch_exceptions=False)
    return result


def test_users_teams_and_tokens_from_the_command_line(app):
    created = _run(app, "users", "create", "--email", "Ops@Example.com", "--name", "Ops Lead",
                   "--role", "agent", "--role", "designer")
    assert created.exit_code == 0, created.output
    assert "ops@example.com with roles agent, designer" in created.output
    password = created.output.split("Password (shown once): ")[1].strip()

    assert _run(app, "users", "create", "--email", "ops@example.com", "--name", "Again").exit_code == 1
    bad = _run(app, "users", "create", "--email", "x@example.com", "--name", "X", "--role", "wizard")
    assert bad.exit_code == 1 and "/roles/0 There is no role named 'wizard'" in bad.output

    team = _run(app, "teams", "create", "--key", "network-ops", "--name", "Network ops",
                "--supervisor", "ops@example.com")
    assert team.exit_code == 0, team.output
    member = _run(app, "teams", "add-member", "--team", "network-ops", "--email", "ops@example.com")
    assert member.exit_code == 0 and "is a member of network-ops" in member.output
    assert "network-ops\tNetwork ops\t1 member(s)" in _run(app, "teams", "list").output
    assert _run(app, "teams", "add-member", "--team", "nope", "--email", "ops@example.com").exit_code == 1

    token = _run(app, "tokens", "create", "--email", "ops@example.com", "--name", "MES line 3")
    secret = token.output.strip()
    assert token.exit_code == 0 and secret.startswith("gd_")
    me = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.json["user"]["email"] == "ops@example.com"
    login = app.test_client().post("/api/v1/auth/login", json={"email": "ops@example.com", "password": password})
    assert login.status_code == 200


def test_ensure_admin_creates_one_admin_once(app):
    first = _run(app, "users", "ensure-admin")
    assert first.exit_code == 0 and "admin@gongdan.local" in first.output
    password = first.output.split("password: ")[1].split()[0]
    login = app.test_client().post("/api/v1/auth/login", json={"email": "admin@gongdan.local", "password": password})
    assert login.status_code == 200 and login.json["user"]["roles"] == ["admin"]
    again = _run(app, "users", "ensure-admin")
    assert "nothing to do" in again.output


@pytest.mark.long
def test_secret_key_is_created_before_any_app_can_start(tmp_path):
    """`make run` on a fresh machine: production settings, no key yet — the command must still work."""
    import os
    import stat
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGDAN_")}
    env["GONGDAN_INSTANCE_PATH"] = str(tmp_path)
    refused = subprocess.run([sys.executable, "-m", "gongdan.cli", "outbox", "list"], env=env,
                             capture_output=True, text=True, timeout=60)  # any command that needs the app
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.startswith("Error: GONGDAN_SECRET_KEY is not set") and "gongdan secret-key" in refused.stderr
    first = subprocess.run([sys.executable, "-m", "gongdan.cli", "secret-key"], env=env,
                           capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "secret_key"
    assert "Created" in first.stdout and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text()
    second = subprocess.run([sys.executable, "-m", "gongdan.cli", "secret-key"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert "Kept the existing" in second.stdout and key_file.read_text() == key
    # ...and now an app starts in production with that key
    ready = subprocess.run([sys.executable, "-m", "gongdan.cli", "db", "current"], env=env,
                           capture_output=True, text=True, timeout=60)
    assert ready.returncode == 0, ready.stderr
