"""The portal stays light: its first load (entry + route chunks, gzipped) is under 400 KB."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from platform_core.web import DIST

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
PORTAL_ROUTES = ["src/pages/portal/PortalHome.tsx", "src/pages/portal/NewTicketPage.tsx",
                 "src/pages/portal/MyTicketsPage.tsx", "src/pages/TicketPage.tsx"]


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node")
def test_the_portal_first_load_is_under_400_kb():
    if not (DIST / ".vite" / "manifest.json").exists():
        pytest.fail("the front end is not built: run `make test` (or `make frontend`)")
    done = subprocess.run(["node", "scripts/bundle-size.mjs", "--max-kb", "400", *PORTAL_ROUTES], cwd=FRONTEND,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    # No portal page loads the agent workspace's or the admin pages' code.
    assert not any(name in done.stdout for name in ("WorkspacePage", "UsersPage", "TeamEditPage", "RolesPage"))
