"""The designer in Chromium with a 200-field form: opening the draft, and a keystroke in the property panel
until the canvas and the live preview both show it.

    .venv/bin/python bench/bench_designer.py [--fields 200] [--keystrokes 30] [--opens 5]

Seeds a throw-away SQLite database, serves it and the built front end (`make frontend` first) with
`gongdan run` (gunicorn, as in production) on a loopback port, logs in as a designer in Chromium
(Playwright) and measures with the page's own clock (performance.now, and the designer's performance
marks `designer:draft-loaded` and `designer:rendered`):

- open: from the start of navigation to /designer/<key> until all 200 field cards are on the canvas;
- keystroke: from the keydown of one character in the label box of the selected field until its card on
  the canvas and its label in the preview both show the new text (a MutationObserver, then the next frame);
- and for each keystroke the CPU time the page's main thread spent in that interval (Chromium's trace,
  thread clock): on a machine shared with other work the wall-clock figures include the time the page
  waited for a core, the CPU time does not — it is about what the keystroke costs on an idle machine.

With --profile FILE it also records a CPU profile of the keystrokes (Chromium's DevTools protocol,
loadable in DevTools' Performance panel) and prints the functions that took the most time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.serving import gongdan_run
from gongdan import create_app
from platform_core import migrate
from platform_core.db import get_session

PASSWORD = "bench password 1"
KINDS = [
    ({"type": "string", "maxLength": 200}, {}),
    ({"type": "string", "maxLength": 2000}, {"ui:widget": "textarea"}),
    ({"type": "number", "minimum": 0}, {}),
    ({"type": "string", "format": "date"}, {}),
    ({"type": "string", "enum": ["a", "b", "c"]}, {"ui:enumNames": ["A", "B", "C"]}),
    ({"type": "boolean"}, {}),
    ({"type": "string", "format": "email"}, {}),
    ({"type": "array", "items": {"type": "string", "format": "attachment"}}, {}),
]

# Resolves with [ms from keydown to both updates, ms to the canvas alone] once the card of the selected field
# and the preview show `expected`.
MEASURE = """
(expected) => new Promise((resolve) => {
  const input = document.querySelector('#gd-prop-title');
  let t0 = null, canvasAt = null;
  const down = () => { t0 = performance.now(); performance.mark('bench:keydown'); };
  input.addEventListener('keydown', down, { once: true, capture: true });
  const card = () => document.querySelector('.gd-canvas .gd-selected .gd-field-label');
  const preview = () => [...document.querySelectorAll('[data-testid=designer-preview] label')]
    .some((l) => l.textContent.includes(expected));
  const observer = new MutationObserver(() => {
    if (t0 === null) return;
    if (canvasAt === null && card() && card().textContent.includes(expected)) canvasAt = performance.now();
    if (canvasAt !== null && preview()) {
      observer.disconnect();
      requestAnimationFrame(() => { performance.mark('bench:done'); resolve([performance.now() - t0, canvasAt - t0]); });
    }
  });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  window.__benchReady = true;
})
"""


def definition(fields: int) -> dict:
    properties, ui, order = {"title": {"type": "string", "title": "Title"}}, {}, ["title"]
    for i in range(1, fields):
        schema, options = KINDS[i % len(KINDS)]
        key = f"field_{i:03d}"
        properties[key] = {**schema, "title": f"Field {i:03d}"}
        if options:
            ui[key] = options
        order.append(key)
    rules = [{"when": {"==": [{"var": f"field_{i:03d}"}, True]}, "show": [f"field_{i + 1:03d}"]}
             for i in range(5, fields - 1, 40)]
    return {"format": 1, "key": "bench-form", "name": "Bench form", "number_prefix": "BF",
            "form": {"schema": {"type": "object", "required": ["title"], "properties": properties},
                     "ui": {"ui:order": order, **ui}, "field_rules": rules},
            "workflow": {"states": [{"key": "new", "name": "New", "category": "new", "initial": True},
                                    {"key": "done", "name": "Done", "category": "closed", "final": True}],
                         "transitions": [{"key": "finish", "name": "Finish", "from": ["new"], "to": "done"}]}}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def seed(folder: Path, fields: int) -> str:
    """A SQLite database with a designer and a draft of `fields` fields; returns its URL."""
    url = f"sqlite:///{folder}/bench.db"
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DATABASE_URL": url, "REDIS_URL": None,
                      "INSTANCE_PATH": str(folder), "UPLOAD_DIR": str(folder / "uploads"),
                      "PASSWORD_HASH_TIME_COST": 1, "PASSWORD_HASH_MEMORY_KIB": 1024})
    with app.app_context():
        migrate.upgrade()
        from designer.drafts import services as designer
        from platform_core.auth import services as auth
        from platform_core.auth.models import User

        session = get_session()
        auth.ensure_built_in_roles(session)
        user = auth.create_user(session, email="designer@example.com", name="Bench Designer", roles=["designer"],
                                password=PASSWORD, actor_id=None)
        designer.import_definition(session, definition(fields), actor=session.get(User, user.id), publish_now=False)
        get_session().close()
    return url


def main_thread_cpu(trace: dict | list) -> list[float]:
    """Per keystroke, the milliseconds of CPU time the page's main thread spent between the marks
    bench:keydown and bench:done: the difference of their thread-clock timestamps (`tts`)."""
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    marks = sorted((e["ts"], e["name"], e["tts"]) for e in events
                   if e.get("name") in ("bench:keydown", "bench:done") and "tts" in e)
    spans, start = [], None
    for _ts, name, tts in marks:
        if name == "bench:keydown":
            start = tts
        elif start is not None:
            spans.append((tts - start) / 1000)
            start = None
    return spans


def hot_functions(profile: dict, top: int = 25) -> list[tuple[float, str]]:
    """Self time per function (name, script and line) in a CPU profile of the DevTools protocol."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    self_ms: dict[str, float] = {}
    deltas = profile.get("timeDeltas", [])
    for sample, delta in zip(profile.get("samples", []), [*deltas[1:], 0], strict=False):
        frame = nodes[sample]["callFrame"]
        script = frame["url"].rsplit("/", 1)[-1] or "(native)"
        name = f"{frame['functionName'] or '(anonymous)'}  {script}:{frame['lineNumber'] + 1}"
        self_ms[name] = self_ms.get(name, 0.0) + delta / 1000
    return sorted(((ms, name) for name, ms in self_ms.items()), reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fields", type=int, default=200)
    parser.add_argument("--keystrokes", type=int, default=30)
    parser.add_argument("--opens", type=int, default=5)
    parser.add_argument("--profile", type=Path, default=None, help="write a CPU profile of the keystrokes here")
    args = parser.parse_args()

    from platform_core.web import DIST

    if not (DIST / "index.html").exists():
        sys.exit("The front end is not built: run `make frontend` first.")
    browser_path = os.environ.get("GONGDAN_BROWSER") or shutil.which("chromium") or "/usr/bin/chromium"
    folder = Path(tempfile.mkdtemp(prefix="gongdan-bench-designer-"))
    url = seed(folder, args.fields)

    from playwright.sync_api import sync_playwright

    opens, strokes, canvas_only = [], [], []
    with gongdan_run(url, folder) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path,
                                             args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"])
        # the bench evaluates its measuring code in the page, which the app's CSP (rightly) forbids
        context = browser.new_context(viewport={"width": 1440, "height": 900}, bypass_csp=True)
        page = context.new_page()
        page.set_default_timeout(60000)
        page.goto(f"{base}/login")
        page.get_by_label("Email").fill("designer@example.com")
        page.locator("input[type=password]").fill(PASSWORD)
        page.locator("button[type=submit]").click()
        page.wait_for_selector(".gd-shell")
        cards = f"document.querySelectorAll('.gd-canvas [data-field]').length >= {args.fields}"
        for _ in range(args.opens + 1):  # the first fills the browser's cache: not counted
            page.goto(f"{base}/designer/bench-form")
            page.wait_for_function(cards)
            opens.append(page.evaluate("performance.now()"))
        loaded = page.evaluate("performance.getEntriesByName('designer:draft-loaded')[0]?.startTime")
        opens = opens[1:]

        page.locator(".gd-canvas [data-field='field_100'] .gd-field-main").click()
        title = page.locator("#gd-prop-title")
        title.click()
        page.keyboard.press("End")
        text = title.input_value()
        cdp = None
        for i in range(args.keystrokes + 3):
            if i == 3:
                browser.start_tracing(page=page, categories=["blink.user_timing"])
            if i == 3 and args.profile:
                cdp = context.new_cdp_session(page)
                cdp.send("Profiler.enable")
                cdp.send("Profiler.setSamplingInterval", {"interval": 200})
                cdp.send("Profiler.start")
            char = "abcdefghijklmnopqrstuvwxyz"[i % 26]
            text += char
            handle = page.evaluate_handle(f"(() => {{ window.__benchReady = false; window.__bench = ({MEASURE})({text!r}); }})()")
            handle.dispose()
            page.wait_for_function("window.__benchReady === true")
            page.keyboard.type(char)
            both, canvas = page.evaluate("window.__bench")
            if i >= 3:  # the first keystrokes warm up the code paths
                strokes.append(both)
                canvas_only.append(canvas)
            page.wait_for_timeout(1300 if i % 10 == 9 else 120)  # now and then let an autosave happen in between
        profile = cdp.send("Profiler.stop")["profile"] if cdp else None
        cpu = main_thread_cpu(json.loads(browser.stop_tracing()))
        browser.close()
    shutil.rmtree(folder, ignore_errors=True)

    print(f"Designer with a {args.fields}-field form, `gongdan run` + Chromium headless, this machine:")
    print(f"  open the draft (navigation start -> {args.fields} cards on the canvas), {len(opens)} runs: "
          f"median {statistics.median(opens):.0f} ms, max {max(opens):.0f} ms"
          + (f" (draft loaded at {loaded:.0f} ms in the last run)" if loaded else ""))
    print(f"  keystroke in the label box -> canvas and preview updated, {len(strokes)} keystrokes: "
          f"median {statistics.median(strokes):.1f} ms, p95 {percentile(strokes, 0.95):.1f} ms, max {max(strokes):.1f} ms")
    print(f"  keystroke -> canvas alone: median {statistics.median(canvas_only):.1f} ms, "
          f"p95 {percentile(canvas_only, 0.95):.1f} ms")
    if cpu:
        print(f"  the page's main-thread CPU time in those intervals, {len(cpu)} keystrokes: "
              f"median {statistics.median(cpu):.1f} ms, p95 {percentile(cpu, 0.95):.1f} ms, max {max(cpu):.1f} ms")
    if profile:
        args.profile.write_text(json.dumps(profile))
        print(f"CPU profile of the keystrokes (and the waits between them) in {args.profile}; self time:")
        for ms, name in hot_functions(profile):
            print(f"  {ms:8.1f} ms  {name}")


if __name__ == "__main__":
    main()
