"""End-to-end tests in Debian's Chromium (Playwright drives it; nothing is downloaded at test time).

They run in their own pytest session (see the Makefile) against ``live_server`` with the demo
data loaded once. On failure a screenshot and the page's HTML go to tests/e2e/artifacts/.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DEMO_PASSWORD = "demo-bapas-2026"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "id-ID", "timezone_id": "Asia/Jakarta", "accept_downloads": True}


@pytest.fixture(scope="session")
def demo_server(django_db_setup, django_db_blocker):
    """One live server for the whole e2e session, over the demo data loaded once.

    pytest-django's ``live_server`` empties the database after every test, and reloading the demo
    for each test costs far more than the tests; so the session keeps one server and one dataset,
    and each test works on its own clients and records.
    """
    from django.core.management import call_command
    from django.db import connections
    from django.test.testcases import LiveServerThread, _StaticFilesHandler

    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)
        shared = {}
        for conn in connections.all():
            if conn.vendor == "sqlite" and conn.is_in_memory_db():
                conn.inc_thread_sharing()
                shared[conn.alias] = conn
        thread = LiveServerThread("127.0.0.1", _StaticFilesHandler, connections_override=shared, port=0)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        try:
            yield f"http://127.0.0.1:{thread.port}"
        finally:
            thread.terminate()
            for conn in shared.values():
                conn.dec_thread_sharing()


@pytest.fixture
def app(demo_server, page):
    """A helper bound to the demo server and a fresh browser page."""
    return App(demo_server, page)


class App:
    def __init__(self, base_url, page):
        self.base_url = base_url
        self.page = page
        self.interactions = 0

    def url(self, path):
        return self.base_url + path

    def goto(self, path):
        return self.page.goto(self.url(path))

    def login(self, username, password=DEMO_PASSWORD):
        self.goto("/masuk/")
        self.page.locator("#id_username").fill(username)
        self.page.locator("#id_password").fill(password)
        self.page.get_by_role("button", name="Masuk").click()
        self.page.wait_for_load_state()
        return self.page

    # Interaction counting: each call is one user action (a click, a typed field, a key press).
    def click(self, locator):
        self.interactions += 1
        locator.click()

    def type(self, locator, text):
        self.interactions += 1
        locator.fill(text)

    def assert_no_horizontal_overflow(self):
        overflow = self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"page overflows horizontally by {overflow}px at {self.page.url}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    page = item.funcargs.get("page")
    if page is None:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid)
    shot, html = ARTIFACTS / f"{stem}.png", ARTIFACTS / f"{stem}.html"
    try:
        page.screenshot(path=str(shot), full_page=True)
        html.write_text(page.content(), encoding="utf-8")
        report.sections.append(("e2e artifacts", f"screenshot: {shot}\nhtml: {html}"))
        print(f"\nE2E artifacts: {shot} {html}")
    except Exception as exc:  # the page may be closed already
        print(f"\nCould not save e2e artifacts: {exc}")
