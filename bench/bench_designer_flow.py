"""The designer's flow editors in Chromium: graph layout, dragging, and the publish dialog's replay.

Seeds a ticket type whose workflow has 50 states and 120 transitions (no saved positions) and P real
tickets (default 100,000, inserted bare), publishes it, changes a routing rule in the draft, serves it
with `gongdan run` (gunicorn, as in production) on loopback and drives Chromium (Playwright) through the
flow editors, reading the page's own performance marks:

- graph.layout: ELK's layered layout of the 50/120 graph in its web worker — the first one when the graph tab
  is opened after the form tab (the page warms the worker while idle), the first one on a page opened straight
  onto the graph tab (the worker's compile included), then R more from the "Auto layout" button;
- dragging a state 300 px: frame intervals while the mouse moves (requestAnimationFrame), p50/p95;
- publish.dialog: the publish dialog from the click until its errors and diff are shown;
- publish.replay: replaying the last N tickets (default 500) against the published version.

    .venv/bin/python bench/bench_designer_flow.py                       # SQLite in a temp folder
    .venv/bin/python bench/bench_designer_flow.py --database postgresql+psycopg://postgres@127.0.0.1:5432/h_flow
    .venv/bin/python bench/bench_designer_flow.py --present 5000 --repeat 3  # quicker

The PostgreSQL run drops and re-creates the schema `public` of the database it is given.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from bench.common import fresh_app  # noqa: E402
from bench.serving import gongdan_run  # noqa: E402
from platform_core.db import get_session, utcnow  # noqa: E402

PASSWORD = "bench password 1"


def large_definition(states: int = 50, transitions: int = 120) -> dict:
    """The same graph as the front end's largeWorkflow() (src/designer/flow/fixtures.ts)."""
    categories = ["open", "open", "pending", "open", "resolved"]
    state_list = []
    for i in range(states):
        state = {"key": f"s{i}", "name": f"State {i}",
                 "category": "new" if i == 0 else "closed" if i == states - 1 else categories[i % 5]}
        if i == 0:
            state["initial"] = True
        if i == states - 1:
            state["final"] = True
        state_list.append(state)
    edges = [{"key": f"t{i}", "name": f"Step {i}", "from": [f"s{i}"], "to": f"s{i + 1}"} for i in range(states - 1)]
    seed = 7
    while len(edges) < transitions:
        seed = (seed * 1103515245 + 12345) % 2147483648
        a = seed % states
        seed = (seed * 1103515245 + 12345) % 2147483648
        b = seed % states
        if a != b:
            edges.append({"key": f"t{len(edges)}", "name": f"Jump {a}-{b}", "from": [f"s{a}"], "to": f"s{b}"})
    return {
        "format": 1, "key": "bench-flow", "name": "Bench flow", "number_prefix": "BF",
        "form": {"schema": {"type": "object", "required": ["title", "line"], "properties": {
            "title": {"type": "string", "title": "Title"},
            "line": {"type": "string", "title": "Line", "enum": ["a", "b", "c"]}}},
            "ui": {"ui:order": ["title", "line"]}},
        "workflow": {"states": state_list, "transitions": edges},
        "routing": [{"name": "Line a", "when": {"==": [{"var": "line"}, "a"]}, "assign": {"team": "team-a"}},
                    {"name": "Everything else", "when": True, "assign": {"team": "team-b"}}],
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def seed(url: str, folder: Path, present: int):
    app = fresh_app(url, folder, PASSWORD_HASH_TIME_COST=1, PASSWORD_HASH_MEMORY_KIB=1024)
    with app.app_context():
        session = get_session()
        from designer.drafts import services as designer
        from platform_core.auth import services as auth
        from platform_core.auth.models import User
        from runtime.tickets.models import Ticket, TicketType, TicketTypeVersion

        admin = auth.create_user(session, email="admin@example.com", name="Admin", roles=["admin"],
                                 password=PASSWORD, actor_id=None)
        requester = auth.create_user(session, email="user@example.com", name="User", roles=["requester"], actor_id=None)
        teams = [auth.create_team(session, {"key": key, "name": key}, actor_id=None) for key in ("team-a", "team-b")]
        definition = large_definition()
        designer.import_definition(session, definition, actor=session.get(User, admin.id), publish_now=True)
        type_id = session.scalar(select(TicketType.id))
        version_id = session.scalar(select(TicketTypeVersion.id))
        started = time.perf_counter()
        now = utcnow()
        batch = []
        for i in range(present):
            line = "abc"[i % 3]
            at = now - timedelta(minutes=present - i)
            batch.append({"number": f"BF-{i + 1:07d}", "ticket_type_id": type_id, "type_version_id": version_id,
                          "title": f"Case {i}", "search_text": f"case {i}", "data": {"title": f"Case {i}", "line": line},
                          "status": "s1", "status_category": "open", "priority": "P4",
                          "team_id": teams[0 if line == "a" else 1].id, "assignee_id": None,
                          "requester_id": requester.id, "source": "api", "created_at": at, "updated_at": at,
                          "status_changed_at": at, "sla_due_at": None, "row_version": 1})
            if len(batch) == 5000:
                session.execute(insert(Ticket), batch)
                session.commit()
                batch = []
        if batch:
            session.execute(insert(Ticket), batch)
            session.commit()
        seeded = time.perf_counter() - started
        # the draft routes line b to team-a as well: a third of the replayed tickets change
        draft = designer.get_draft(session, session.get(TicketType, type_id))
        changed = {**definition, "routing": [{**definition["routing"][0],
                                              "when": {"in": [{"var": "line"}, ["a", "b"]]}}, definition["routing"][1]]}
        designer.save_draft(session, session.get(TicketType, type_id), changed, actor=session.get(User, admin.id),
                            if_match=draft.revision)
        session.close()
    return seeded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=None)
    parser.add_argument("--present", type=int, default=100_000, help="real tickets of the type")
    parser.add_argument("--replay", type=int, default=500, help="tickets the publish dialog replays")
    parser.add_argument("--repeat", type=int, default=5, help="layouts after the first one")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="gongdan-bench-"))
    url = args.database or f"sqlite:///{folder}/bench.db"
    seeded = seed(url, folder, args.present)
    print(f"{url.split(':')[0]}: a 50-state, 120-transition workflow; {args.present:,} tickets "
          f"(seeded in {seeded:.1f} s)")

    browser_path = os.environ.get("GONGDAN_BROWSER") or shutil.which("chromium") or "/usr/bin/chromium"
    with gongdan_run(url, folder) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path,
                                             args=["--headless", "--no-sandbox", "--disable-gpu"])
        # bypass_csp: Playwright evaluates the predicates below as strings (the browser tests check the CSP itself)
        page = browser.new_context(viewport={"width": 1440, "height": 900}, bypass_csp=True).new_page()
        page.set_default_timeout(120_000)
        # as a designer usually comes: the form tab first (the page warms ELK's worker while it is idle), then the graph
        page.goto(f"{base}/login?next=/designer/bench-flow")
        page.get_by_label("Email").fill("admin@example.com")
        page.locator("input[type=password]").fill(PASSWORD)
        page.locator("button[type=submit]").click()
        page.wait_for_selector(".gd-builder")
        page.wait_for_timeout(5000)
        page.get_by_role("tab", name="Status graph", exact=True).click()
        page.wait_for_function("performance.getEntriesByName('graph.layout').length >= 1")
        warmed = page.evaluate("performance.getEntriesByName('graph.layout')[0].duration")
        # a fresh page straight onto the graph tab: the worker is created and compiled by the first layout
        page.goto(f"{base}/designer/bench-flow/workflow")
        page.wait_for_function("performance.getEntriesByName('graph.layout').length >= 1")
        layouts = page.evaluate("performance.getEntriesByName('graph.layout').map(e => e.duration)")
        first = layouts[0]
        print(f"graph.layout, first, the graph tab opened after the form tab (worker warmed): {warmed:7.1f} ms")
        for i in range(args.repeat):
            page.get_by_role("button", name="Auto layout").click()
            page.wait_for_function(f"performance.getEntriesByName('graph.layout').length >= {i + 2}")
        layouts = page.evaluate("performance.getEntriesByName('graph.layout').map(e => e.duration)")[1:]
        print(f"graph.layout (ELK in a worker)   first {first:7.1f} ms (worker download and compile included); "
              f"then median {statistics.median(layouts):6.1f} ms, max {max(layouts):6.1f} ms over {len(layouts)}")

        # dragging a state 300 px: frame intervals while the mouse moves
        box = page.locator(".react-flow__node[data-id='s10']").bounding_box()
        page.evaluate("""() => { window.__frames = []; const tick = (t) => { window.__frames.push(t);
            if (window.__recording) requestAnimationFrame(tick); }; window.__recording = true; requestAnimationFrame(tick); }""")
        page.mouse.move(box["x"] + 40, box["y"] + 20)
        page.mouse.down()
        for step in range(1, 61):
            page.mouse.move(box["x"] + 40 + step * 5, box["y"] + 20 + step * 2)
        page.mouse.up()
        frames = page.evaluate("() => { window.__recording = false; return window.__frames; }")
        gaps = [b - a for a, b in itertools.pairwise(frames)]
        print(f"dragging a state (60 moves)      frame interval p50 {percentile(gaps, 0.5):5.1f} ms, "
              f"p95 {percentile(gaps, 0.95):5.1f} ms, max {max(gaps):5.1f} ms over {len(gaps)} frames")

        started = time.perf_counter()
        page.get_by_role("button", name="Publish…").click()
        page.locator(".gdf-replay-summary").wait_for()
        dialog = page.evaluate("performance.getEntriesByName('publish.dialog').map(e => e.duration)")[-1]
        print(f"publish dialog: errors and diff  {dialog:7.1f} ms; with the default replay of 100 tickets shown "
              f"{(time.perf_counter() - started) * 1000:7.1f} ms after the click")
        page.locator("#gdf-replay-count").fill(str(args.replay))
        page.get_by_role("button", name="Replay", exact=True).click()
        page.wait_for_function("performance.getEntriesByName('publish.replay').length >= 2")
        replay = page.evaluate("performance.getEntriesByName('publish.replay').map(e => e.duration)")[-1]
        summary = page.locator(".gdf-replay-summary").inner_text()
        print(f"publish.replay of {args.replay} tickets     {replay:7.1f} ms  ({summary})")
        browser.close()
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
