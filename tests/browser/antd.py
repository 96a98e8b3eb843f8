"""Driving antd widgets from Playwright the same way in every browser test.

On a loaded two-core machine a click on a drop-down's option now and then lands while the list still
slides in and is lost; a test that clicks once fails at random (CI failed so, on different tests, on
different days). `choose` makes the choice again until the widget shows it was taken — never clicking
an option that already took, so a multiple select is not toggled back off.
"""

from __future__ import annotations

import contextlib
import re

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

TRIES = 3


def choose(page: Page, opener: Locator, option: str | re.Pattern[str], *, typed: str | None = None) -> None:
    """Open the Select that `opener` is (or is inside of), type `typed` into its search box if given,
    and pick the first option whose text matches `option`. A single choice waits for the list to
    close; a multiple choice waits for the option to be marked chosen, then closes the list."""
    dropdown = page.locator(".ant-select-dropdown:visible")
    item = dropdown.locator(".ant-select-item-option", has_text=option).first
    multiple = opener.evaluate("e => !!e.closest('.ant-select-multiple') || !!e.querySelector('.ant-select-multiple')")
    for attempt in range(TRIES):
        wait = _wait(attempt)
        if not dropdown.count():
            opener.click()
            if typed is not None:
                opener.fill(typed)
        try:
            if multiple:
                if "ant-select-item-option-selected" not in (item.get_attribute("class", timeout=wait) or ""):
                    item.click(timeout=wait)
                expect(item).to_have_class(re.compile("ant-select-item-option-selected"), timeout=wait)
                page.keyboard.press("Escape")
            else:
                item.click(timeout=wait)
            expect(dropdown).to_have_count(0, timeout=wait)
            return
        except (AssertionError, PlaywrightTimeout):
            if attempt == TRIES - 1:
                raise


def _wait(attempt: int) -> int:
    """Milliseconds to wait for an action's effect: short while another try remains, long on the last."""
    return 4000 if attempt < TRIES - 1 else 15000


def tick(box: Locator) -> None:
    """Check a checkbox or a radio button and make sure it stays checked. In a dialog that has just
    opened, a loaded machine can run the click before the form has taken the field over (the click
    happens, the box stays empty: Playwright's check() then fails with "did not change its state"),
    so the box is clicked again, but only while it is not checked."""
    for attempt in range(TRIES):
        try:
            if not box.is_checked():
                box.check(timeout=_wait(attempt))
            expect(box).to_be_checked(timeout=2000)
            return
        except (AssertionError, PlaywrightError):
            if attempt == TRIES - 1:
                raise


def press(container: Locator, button: str | re.Pattern[str], *, exact: bool = True) -> None:
    """Press `button` in a dialog or pop-over that closes when the press takes, and wait for it to close.
    A click on one still sliding in can be lost on a loaded machine (CI once left a "Revoke?" open, once
    waited for a walk-it step that was never sent): it is made again, but only while the container stays
    open, never after it took."""
    for attempt in range(TRIES):
        try:
            container.get_by_role("button", name=button, exact=exact).click(timeout=_wait(attempt))
            expect(container).to_be_hidden(timeout=_wait(attempt))
            return
        except (AssertionError, PlaywrightError):
            if attempt == TRIES - 1:
                raise


def confirm(page: Page, button: str | re.Pattern[str]) -> None:
    """Press `button` in the open pop-confirm (or pop-over); see `press`."""
    press(page.locator(".ant-popover:visible"), button)


def fits(page: Page, width: int = 375) -> None:
    """Nothing wider than the screen. Right after the viewport shrinks, the shell re-lays itself out when its resize
    observers fire, later on a busy machine: the settled page must fit (waited for, up to 5 s), not the first frame.
    When it does not, the failure names the elements past the edge."""
    with contextlib.suppress(PlaywrightTimeout):  # the assertion below says by how much
        page.wait_for_function(f"document.documentElement.scrollWidth <= {width}", timeout=5000)
    wide = page.evaluate(f"""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > {width} + 0.5)
        .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, wide
