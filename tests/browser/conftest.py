"""A live Gehoord on a free port and Debian's Chromium driven by Playwright (sync API).

One server (with its own database) and one browser per test module. Tests of a flow take a fresh browser
context each (`open_page`); the accessibility checks reuse one context per language and forget its cookies.
"""
from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import func, select
from werkzeug.serving import WSGIRequestHandler, make_server

from portal import create_app
from portal.extensions import db
from portal.models import Complaint
from portal.services.demo import load_demo
from tests.conftest import database_url

CHROMIUM = "/usr/bin/chromium"
# The same switches as ../shared/tools/shoot.py: no sandbox (containers), no GPU, no network chatter.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
LOCALES = {"nl": "nl-NL", "en": "en-GB"}


class QuietHandler(WSGIRequestHandler):
    """Send each answer at once (no Nagle delay) and keep the request log out of the test output."""

    disable_nagle_algorithm = True

    def log_request(self, *args, **kwargs):
        pass


class LiveServer:
    """The app behind werkzeug's threaded server on 127.0.0.1 and a free port.

    It notes every request and counts the ones it is busy with, so a test can wait until a click
    that the browser abandoned (a double click) has been handled before it counts rows. A test can
    make a POST slow (`slow_posts`) to give an impatient customer time to click twice.
    """

    def __init__(self, app):
        self.app = app
        self._busy = 0
        self.requests: list[tuple[str, str]] = []  # (method, path) of every request, in order
        self.slow_posts: dict[str, float] = {}  # path → seconds to wait before answering a POST
        self._changed = threading.Condition()
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True,
                                   request_handler=QuietHandler)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        app.config["PUBLIC_BASE_URL"] = self.url
        self._thread = threading.Thread(target=self._server.serve_forever, name="live-server", daemon=True)

    def _wsgi(self, environ, start_response):
        with self._changed:
            self._busy += 1
            self.requests.append((environ["REQUEST_METHOD"], environ["PATH_INFO"]))
        try:
            if environ["REQUEST_METHOD"] == "POST":
                time.sleep(self.slow_posts.get(environ["PATH_INFO"], 0))
            result = self.app(environ, start_response)
            try:
                return [b"".join(result)]
            finally:
                if hasattr(result, "close"):
                    result.close()
        finally:
            with self._changed:
                self._busy -= 1
                self._changed.notify_all()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def wait_until_idle(self, quiet: float = 0.3, timeout: float = 10) -> None:
        """Wait until no request has been in progress for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                if not self._changed.wait_for(lambda: self._busy == 0, timeout=deadline - time.monotonic()):
                    raise AssertionError("the server is still busy with a request")
                if not self._changed.wait(timeout=quiet):  # nothing started or finished meanwhile
                    if self._busy == 0:
                        return
                if time.monotonic() > deadline:
                    raise AssertionError("the server kept getting requests")

    def count_complaints(self, **where) -> int:
        with self.app.app_context():
            query = select(func.count(Complaint.id))
            for column, value in where.items():
                query = query.where(getattr(Complaint, column) == value)
            return db.session.scalar(query)


@pytest.fixture(scope="module")
def chromium_path() -> str:
    """Debian's Chromium; without it the browser tests skip, except on CI where they must run."""
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI is set, so the browser tests may not be skipped)")
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    """The app on its own database with the demo organisation, and CSRF on as in production."""
    app = create_app({"GEHOORD_ENV": "testing",
                      "SQLALCHEMY_DATABASE_URI": database_url(tmp_path_factory.mktemp("browser")),
                      "WTF_CSRF_ENABLED": True})
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_demo()
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(scope="module")
def live_server(live_app) -> Iterator[LiveServer]:
    server = LiveServer(live_app)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(chromium_path, live_server):
    """One Chromium per module; it closes before the server stops."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def keep_console_error(page, message) -> None:
    """Note an error from the browser console in `page.problems`.

    Not noted: the miss of /favicon.ico, which Chromium asks every site for on its own, and the
    status of the page itself (a 404 page is meant to answer 404).
    """
    url = message.location.get("url", "")
    expected_miss = message.text.startswith("Failed to load resource") and (
        url.endswith("/favicon.ico") or url == page.url)
    if message.type == "error" and not expected_miss:
        page.problems.append(f"{message.text} ({url})")


@pytest.fixture
def open_page(browser, live_server) -> Iterator[Callable]:
    """open_page(language="nl", javascript=True) → a page in a fresh context.

    The browser's language is sent as Accept-Language, the way a visitor's own browser does.
    Errors in the browser console (a script error, a blocked resource) are kept in `page.problems`.
    """
    contexts = []

    def open_(language: str = "nl", javascript: bool = True):
        context = browser.new_context(base_url=live_server.url, locale=LOCALES[language],
                                      java_script_enabled=javascript, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.problems = []
        page.on("console", lambda message: keep_console_error(page, message))
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        return page

    yield open_
    for context in contexts:
        context.close()


# --- walking the flows (by field id, so the same helper works in either language) ------------------

def navigate(page, action, *args) -> None:
    """Do something that loads a new page (press a key, click) and wait for that page."""
    with page.expect_navigation():
        action(*args)


def send_form(page) -> None:
    """Press the button of the form in the main part of the page."""
    navigate(page, page.locator("main form button[type=submit]").first.click)


def fill_complaint(page, email: str = "sam@example.com",
                   story: str = "The parcel was left in the rain and the book inside is ruined.") -> None:
    """Answer every question of the complaint flow and arrive at 'check your answers'."""
    page.goto("/complaint/what-happened")
    page.locator("#story").fill(story)
    send_form(page)
    page.locator("#category-0").check()
    send_form(page)
    page.locator("#wish-0").check()
    send_form(page)
    page.locator("#name").fill("Sam de Vries")
    page.locator("#email").fill(email)
    send_form(page)
    assert page.url.endswith("/complaint/check"), page.url


def fill_compliment(page, email: str = "sam@example.com") -> None:
    """Answer the compliment flow and arrive at 'check your answers'."""
    page.goto("/compliment/message")
    page.locator("#kind-0").check()
    page.locator("#story").fill("The driver carried the parcel all the way upstairs.")
    send_form(page)
    page.locator("#name").fill("Sam de Vries")
    page.locator("#email").fill(email)
    send_form(page)
    assert page.url.endswith("/compliment/check"), page.url
