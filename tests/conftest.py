"""Shared fixtures: an app on a fresh database (SQLite, or PostgreSQL with TEST_DATABASE_URL)."""
import contextvars
import os
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from portal import create_app
from portal.extensions import db
from portal.services.demo import load_demo

pytest_plugins = ["tests.fixtures.complaints", "tests.fixtures.people"]

EN = {"Accept-Language": "en"}  # headers=EN: the page in English


def database_url(tmp_path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.sqlite'}"


@pytest.fixture
def app_config(tmp_path):
    """Settings a test may change before the app is built."""
    return {"GEHOORD_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
            "WTF_CSRF_ENABLED": False, "PUBLIC_BASE_URL": "http://portal.test",
            # Many tests file dozens of complaints from one address; the cap has tests of its own.
            "MAX_OPEN_PER_EMAIL": 1000,
            # Photos and papers in the test's own folder, never in the checkout's instance folder.
            "ATTACHMENTS_FOLDER": str(tmp_path / "uploads")}


class SeparateRequestsClient(FlaskClient):
    """Each request runs in its own application context, as in production.

    The `app` fixture keeps an app context open so tests can use `db.session`; without this, every
    request would share that context's `g` (and its cached locale) and the test's own session.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session")
def demo_sqlite(tmp_path_factory) -> Path:
    """An SQLite file with the tables and demo data, built once and copied for each test (fast)."""
    path = tmp_path_factory.mktemp("template") / "demo.sqlite"
    app = create_app({"GEHOORD_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        db.create_all()
        load_demo()
        db.session.commit()
        db.session.remove()
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.engine.dispose()
    return path


@pytest.fixture
def app(app_config, demo_sqlite):
    """The app with empty tables plus the demo organisation, categories and timelines."""
    url = app_config["SQLALCHEMY_DATABASE_URI"]
    copied = url.startswith("sqlite:///") and not os.path.exists(url.removeprefix("sqlite:///"))
    if copied:
        shutil.copyfile(demo_sqlite, url.removeprefix("sqlite:///"))
    app = create_app(app_config)
    app.test_client_class = SeparateRequestsClient
    with app.app_context():
        if not copied:
            db.drop_all()
            db.create_all()
            load_demo()
            db.session.commit()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def soup(response) -> BeautifulSoup:
    """Parse a page and check what every page must have: a title, one h1, no duplicate ids."""
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.title and page.title.string.strip(), "every page has a title"
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), f"duplicate ids: {sorted(i for i in ids if ids.count(i) > 1)}"
    assert len(page.find_all("h1")) == 1, "every page has exactly one h1"
    return page


class ClientRequest:
    """A request that checks its status and returns the page (GOV.UK Notify's `client_request`).

    An HTML page comes back parsed and checked by `soup`; a redirect or anything else as the response.
    """

    def __init__(self, client):
        self.client = client

    def get(self, url, expected_status=200, headers=None, **kwargs):
        return self._checked("GET", url, expected_status, self.client.get(url, headers=headers, **kwargs))

    def post(self, url, data=None, expected_status=302, headers=None, **kwargs):
        return self._checked("POST", url, expected_status,
                             self.client.post(url, data=data, headers=headers, **kwargs))

    @staticmethod
    def _checked(method, url, expected_status, response):
        where = f" to {response.headers['Location']}" if "Location" in response.headers else ""
        assert response.status_code == expected_status, (
            f"{method} {url} answered {response.status_code}{where}, not {expected_status}; the page begins:\n"
            f"{response.get_data(as_text=True)[:1500]}")
        if response.mimetype == "text/html" and not 300 <= response.status_code < 400:
            return soup(response)
        return response


@pytest.fixture
def client_request(client) -> ClientRequest:
    """client_request.get(url) / .post(url, data, expected_status=400): the page, its status checked."""
    return ClientRequest(client)


def text_of(page) -> str:
    return " ".join(page.get_text(" ").split())
