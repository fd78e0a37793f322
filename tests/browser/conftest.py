"""
Browser harness: Playwright for Python driving Debian's Chromium against pytest-django's
live_server. Every test in this folder is marked ``browser`` (run alone: ``pytest -m browser``).
A failing test leaves a screenshot in ``test-artifacts/``.
"""

import contextlib
import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Without these, Chromium keeps trying to reach Google's hosts, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Console:
    """
    What the page said on its console. ``errors`` holds script errors and CSP violations;
    ``http_errors`` the 4xx/5xx answers Chromium also logs there (a form re-rendered with a 400
    for bad input is one, and expected).
    """

    def __init__(self, page):
        self.errors = []
        self.http_errors = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))

    def _on_console(self, message):
        if message.type != "error":
            return
        if message.text.startswith("Failed to load resource: the server responded"):
            self.http_errors.append(message.text)
        else:
            self.errors.append(message.text)


_pages_key = pytest.StashKey[list]()


def _open_page(browser, live_server, request, **context_options):
    context = browser.new_context(base_url=live_server.url, **context_options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.console = Console(page)
    request.node.stash.setdefault(_pages_key, []).append(page)
    yield page
    context.close()


# Browser tests use a real transaction per request (the live server runs in another thread);
# serialized rollback puts back what data migrations created (KYC levels, staff groups).


SCREENS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True},
}


@pytest.fixture
def page(browser, live_server, transactional_db, django_db_serialized_rollback, request):
    yield from _open_page(browser, live_server, request, **SCREENS["desktop"])


@pytest.fixture
def phone_page(browser, live_server, transactional_db, django_db_serialized_rollback, request):
    yield from _open_page(browser, live_server, request, **SCREENS["phone"])


@pytest.fixture(params=["phone", "desktop"])
def screen(browser, live_server, transactional_db, django_db_serialized_rollback, request):
    """A page on each screen in turn: the test runs once on a phone, once on a desktop."""
    # The database fixtures are named here, not fetched later with getfixturevalue: pytest-django
    # decides on serialized rollback when the database is set up, from the fixtures it can see.
    yield from _open_page(browser, live_server, request, **SCREENS[request.param])


# WCAG contrast of each visible button's and status pill's text against its own background.
_LOW_CONTRAST_BUTTONS = """() => {
  const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  return [...document.querySelectorAll('.btn, button, .pill')].filter((el) => {
    const style = getComputedStyle(el);
    const bg = rgb(style.backgroundColor);
    if (!el.offsetParent || (bg.length > 3 && bg[3] < 1)) return false;  // hidden or see-through
    const [a, b] = [lum(rgb(style.color)), lum(bg)].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05) < 4.5;
  }).map((el) => el.textContent.trim());
}"""


def low_contrast_buttons(page):
    """The labels of visible buttons and status pills whose text is hard to read."""
    return page.evaluate(_LOW_CONTRAST_BUTTONS)


def wider_than_the_screen(page):
    """
    How many CSS pixels the page is wider than the screen (0 when it fits). Measured against the
    viewport the test set, not ``window.innerWidth``: on a phone (``is_mobile``) Chromium widens
    the layout to overflowing content, so ``scrollWidth <= innerWidth`` can never fail there.
    """
    width = page.evaluate("document.documentElement.scrollWidth")
    return max(0, width - page.viewport_size["width"])


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    # caret="initial": hiding the caret injects a <style>, which the page's CSP rightly blocks.
    page.screenshot(path=path, full_page=True, caret="initial")
    return path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        for index, failed_page in enumerate(item.stash.get(_pages_key, [])):
            # A screenshot must never hide the failure it illustrates.
            with contextlib.suppress(Exception):
                screenshot(failed_page, f"FAILED-{item.name}-{index}")
    return report
