"""End-to-end tests in Debian's Chromium (Playwright drives it; nothing is downloaded at test time).

They run in their own pytest session (see the Makefile) against ``live_server`` with the demo
data loaded once. On failure a screenshot and the page's HTML go to tests/e2e/artifacts/.
"""

import os
import re
import shutil
import tempfile
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
def django_db_setup(django_test_environment, django_db_blocker):
    """Always create the test database.

    pytest-django only sets up the databases that collected tests ask for (a ``db`` fixture or a
    ``django_db`` mark); browser tests ask for neither, so without this the demo data and every
    record the tests make would land in the developer's database named by DATABASE_URL.
    """
    from django.test.utils import override_settings, setup_databases, teardown_databases

    # Speed, test-only: tables straight from the models (CI checks that migrations match them) and a
    # cheap password hash (the demo's two dozen PBKDF2 hashes cost a minute on a busy 2-core machine).
    # An empty STATIC_ROOT: a stale local ``collectstatic`` must not shadow the CSS and JS under test
    # (WhiteNoise serves STATIC_ROOT before the finders). No task worker runs beside the live
    # server, so dashboards compute outdated summary rows at once instead of showing the old ones.
    empty_static_root = tempfile.mkdtemp(prefix="e2e-static-")
    fast = override_settings(
        MIGRATION_MODULES=_NoMigrations(),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        STATIC_ROOT=empty_static_root,
        DASHBOARD_STALE_MINUTES=0,
    )
    fast.enable()
    with django_db_blocker.unblock():
        config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    yield
    with django_db_blocker.unblock():
        _end_other_sessions()
        teardown_databases(config, verbosity=0)
    fast.disable()
    shutil.rmtree(empty_static_root, ignore_errors=True)


def _end_other_sessions():
    """End what still holds the PostgreSQL test database open before it is dropped.

    The live server answers each request on a daemon thread of its own; a request the browser
    started just before the session ended can still hold a connection, and PostgreSQL refuses to
    drop a database in use ("is being accessed by other users").
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    name = connection.settings_dict["NAME"]
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )


class _NoMigrations(dict):
    def __contains__(self, app_label):
        return True

    def __getitem__(self, app_label):
        return None


def _assert_test_database():
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    is_test = connection.is_in_memory_db() if connection.vendor == "sqlite" else name.startswith("test")
    assert is_test, f"refusing to load the demo into a non-test database: {name}"


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
        _assert_test_database()
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


# Signed-in cookies per user, kept for the session: the password hash costs about a second per
# sign-in, and the sign-in form itself is tested once per user (test_sign_in.py) anyway.
_SIGNED_IN = {}


class App:
    def __init__(self, base_url, page):
        self.base_url = base_url
        self.page = page
        self.interactions = 0
        self.keystrokes = 0

    def url(self, path):
        return self.base_url + path

    def goto(self, path):
        return self.page.goto(self.url(path))

    def login(self, username, password=DEMO_PASSWORD, *, fresh=False):
        """Sign in through the form (or reuse this session's cookies of that user) and land on "/"."""
        key = (self.base_url, username)
        self.page.context.clear_cookies()  # whoever was signed in before
        if not fresh and key in _SIGNED_IN:
            self.page.context.add_cookies(_SIGNED_IN[key])
            self.goto("/")
            if "/masuk/" not in self.page.url:
                return self.page
        self.goto("/masuk/")
        self.page.locator("#id_username").fill(username)
        self.page.locator("#id_password").fill(password)
        self.page.get_by_role("button", name="Masuk").click()
        self.page.wait_for_load_state()
        _SIGNED_IN[key] = self.page.context.cookies()
        return self.page

    # Interaction counting: each call is one user action (a click, a typed field, a key press).
    def click(self, locator):
        self.interactions += 1
        locator.click()

    def type(self, locator, text):
        self.interactions += 1
        locator.fill(text)

    def download(self, locator):
        """Click a download link (one interaction) and return (suggested file name, bytes)."""
        self.interactions += 1
        with self.page.expect_download() as info:
            locator.click()
        download = info.value
        return download.suggested_filename, Path(download.path()).read_bytes()

    def open_file(self, locator):
        """Click a link to a file shown in the browser (``inline``, e.g. certificates to print): one
        interaction; returns (response headers, bytes)."""
        self.interactions += 1
        href = self.url(locator.get_attribute("href"))
        with self.page.expect_response(lambda response: response.url == href) as info:
            locator.click()
        assert info.value.ok, f"{href} answered {info.value.status}"
        # The browser hands the body to its PDF viewer; read the same file with the same cookies.
        response = self.page.context.request.get(href)
        return response.headers, response.body()

    # Keyboard only: each press is one keystroke; Tab moves the focus until it reaches a target.
    def press(self, key):
        self.keystrokes += 1
        self.page.keyboard.press(key)

    def tab_to(self, locator, limit=200):
        """Press Tab until ``locator`` has the focus; fails when it is not reachable by keyboard."""
        handle = locator.element_handle()
        for _ in range(limit):
            if self.page.evaluate("(el) => document.activeElement === el", handle):
                return
            self.press("Tab")
        raise AssertionError(f"not reachable with Tab within {limit} presses: {locator}")

    def phone(self):
        self.page.set_viewport_size(PHONE)

    def open_menu(self):
        """At a phone's width the navigation hides behind the toggler: open it (one interaction)."""
        toggler = self.page.locator(".navbar-toggler")
        if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
            self.click(toggler)
            self.page.locator("#mainnav.show").wait_for()
            self.assert_no_horizontal_overflow()

    def nav_link(self, name):
        """The navigation link to the page ``name``, its menu opened when it is grouped in a dropdown."""
        self.open_menu()
        link = self.page.locator(f"#mainnav a[data-nav='{name}']")
        if not link.is_visible():
            menu = link.locator("xpath=ancestor::li[contains(@class, 'dropdown')]/a[@data-bs-toggle='dropdown']")
            self.click(menu)
            link.wait_for(state="visible")
        return link

    def assert_no_horizontal_overflow(self):
        overflow = self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 1:
            offenders = self.page.evaluate(
                """() => [...document.querySelectorAll("main *, nav *")]
                    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                    .filter((e, _, all) => !all.some(o => o !== e && e.contains(o)))
                    .slice(0, 5).map(e => e.tagName.toLowerCase() + "." + [...e.classList].join(".")
                                          + " «" + e.textContent.trim().slice(0, 40) + "»")"""
            )
            raise AssertionError(f"page overflows horizontally by {overflow}px at {self.page.url}: {offenders}")


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
