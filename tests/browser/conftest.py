"""A live server in a thread and real Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from platform_core.web import DIST
from tests.support.servers import threaded_server

# Assertions wait as long as actions do: CI machines have two cores, and a page's first visit
# loads its route chunk while the live server answers its API calls on the same cores.
expect.set_options(timeout=15000)

BROWSER = os.environ.get("GONGDAN_BROWSER") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def live_server(app) -> Iterator[str]:
    if not (DIST / "index.html").exists():
        pytest.fail("the front end is not built: run `make test` (or `make frontend`)")
    with threaded_server(app) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(BROWSER).exists():
        pytest.fail(f"Chromium not found at {BROWSER}: `apt-get install chromium` or set GONGDAN_BROWSER")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=BROWSER,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield ReducedMotion(browser)
        browser.close()


class ReducedMotion:
    """The browser, whose new contexts ask for reduced motion (unless a test says otherwise): the app then switches
    antd's transitions off (frontend/src/Root.tsx), so nothing slides while a test clicks and Chromium draws no
    animation frames. The look of every state is the same; only the tweens between states go."""

    def __init__(self, browser) -> None:
        self._browser = browser

    def new_context(self, **options):
        options.setdefault("reduced_motion", "reduce")
        return self._browser.new_context(**options)

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-failure.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report
