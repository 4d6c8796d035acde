"""The app finds its templates, assets and translations from anywhere, and builds without side effects."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal import create_app
from portal.config import ROOT
from tests.conftest import soup, text_of

PUBLIC = "https://klachten.example.nl"


def test_the_app_uses_the_top_level_folders(app):
    assert Path(app.template_folder) == ROOT / "templates"
    assert Path(app.static_folder) == ROOT / "static"
    assert Path(app.config["BABEL_TRANSLATION_DIRECTORIES"]) == ROOT / "translations"
    assert (ROOT / "translations" / "nl" / "LC_MESSAGES" / "messages.mo").exists(), "run `make translations`"


def test_stylesheet_and_script_are_served_from_static(client):
    page = soup(client.get("/"))
    for url in [link["href"] for link in page.find_all("link", rel="stylesheet")] + \
               [script["src"] for script in page.find_all("script")]:
        assert url.startswith("/static/")
        response = client.get(url)
        assert response.status_code == 200 and len(response.data) > 500
        response.close()


def test_the_dutch_catalogue_is_used(client):
    assert "Dien een klacht in" in text_of(soup(client.get("/", headers={"Accept-Language": "nl"})))


def test_create_app_touches_nothing(tmp_path):
    database = tmp_path / "untouched.sqlite"
    create_app({"GEHOORD_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
    assert not database.exists(), "building the app creates no database"


def test_the_development_outbox_does_not_exist_in_production(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-for-this-test")
    from portal import config

    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", "a-real-secret-for-this-test")
    app = create_app({"GEHOORD_ENV": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "PUBLIC_BASE_URL": PUBLIC, "RATELIMIT_STORAGE_URI": "memory://"})
    assert "dev.outbox" not in app.view_functions
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_the_app_starts_from_another_working_directory(tmp_path):
    env = dict(os.environ, GEHOORD_ENV="testing", FLASK_APP="portal")
    result = subprocess.run([sys.executable, "-m", "flask", "routes"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "/s/<token>" in result.stdout


def test_production_refuses_a_development_or_short_secret_key(monkeypatch):
    from portal import config

    for key in ("development-only-secret", "short"):
        monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", key)
        try:
            create_app({"GEHOORD_ENV": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                        "PUBLIC_BASE_URL": PUBLIC})
        except RuntimeError as error:
            assert "SECRET_KEY" in str(error)
        else:
            raise AssertionError(f"started with SECRET_KEY={key!r}")


def test_production_sends_hsts_and_agent_pages_are_never_cached(monkeypatch, tmp_path):
    from portal import config
    from portal.extensions import db

    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", "a-real-secret-for-this-test")
    app = create_app({"GEHOORD_ENV": "production", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite'}",
                      "PUBLIC_BASE_URL": PUBLIC, "RATELIMIT_STORAGE_URI": "memory://"})
    with app.app_context():
        db.create_all()
        from portal.services.demo import load_demo

        load_demo()
        db.session.commit()
    client = app.test_client()
    response = client.get("/")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "no-store" in client.get("/agent/login").headers["Cache-Control"]
    with app.app_context():
        db.engine.dispose()


def test_production_refuses_to_start_without_a_public_address(monkeypatch):
    """Mail from the worker has no request to take the address from: without it, links go to 127.0.0.1."""
    from portal import config

    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", "a-real-secret-for-this-test")
    monkeypatch.setattr(config.ProductionConfig, "PUBLIC_BASE_URL", None)
    for settings in ({}, {"PUBLIC_BASE_URL": ""}, {"PUBLIC_BASE_URL": "klachten.example.nl"}):
        try:
            create_app({"GEHOORD_ENV": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://", **settings})
        except RuntimeError as error:
            assert "PUBLIC_BASE_URL" in str(error) and "https://" in str(error)
        else:
            raise AssertionError(f"started without a public address: {settings}")


def test_production_reads_the_public_address_from_the_environment(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-for-this-test")
    monkeypatch.setenv("PUBLIC_BASE_URL", PUBLIC)
    result = subprocess.run(
        [sys.executable, "-c", "from portal import create_app; "
         "print(create_app({'SQLALCHEMY_DATABASE_URI': 'sqlite://'}).config['PUBLIC_BASE_URL'])"],
        cwd=Path(__file__).resolve().parent.parent,
        env=dict(os.environ, GEHOORD_ENV="production", RATELIMIT_STORAGE_URI="memory://"),
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == PUBLIC


def test_the_demo_keeps_its_local_address_without_settings(monkeypatch):
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    result = subprocess.run(
        [sys.executable, "-c", "from portal import create_app; "
         "print(create_app({'SQLALCHEMY_DATABASE_URI': 'sqlite://'}).config['PUBLIC_BASE_URL'])"],
        cwd=Path(__file__).resolve().parent.parent, env=dict(os.environ, GEHOORD_ENV="development"),
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "http://127.0.0.1:5000", "`make run` prints working links"


def test_the_session_cookie_is_secure_in_production(monkeypatch, tmp_path):
    """Over HTTPS only: the cookie holds the customer's draft and the form tokens."""
    from portal import config
    from portal.extensions import db

    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", "a-real-secret-for-this-test")
    app = create_app({"GEHOORD_ENV": "production", "PUBLIC_BASE_URL": PUBLIC, "RATELIMIT_STORAGE_URI": "memory://",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite'}"})
    with app.app_context():
        db.create_all()
    client = app.test_client()
    client.get("/complaint/what-happened", base_url="https://klachten.example.nl")
    cookie = client.get_cookie("session", domain="klachten.example.nl")
    assert cookie is not None, "the question page sets a session (for its form token)"
    assert cookie.secure and cookie.http_only and cookie.same_site == "Lax"
    with app.app_context():
        db.engine.dispose()


def test_the_demo_command_loads_once_and_prints_where_to_start(tmp_path):
    """`make run` calls `flask portal demo`: the first time it loads, after that it changes nothing."""
    from sqlalchemy import func, select

    from portal.extensions import db
    from portal.models import Category, User
    from portal.services.demo import AGENTS

    app = create_app({"GEHOORD_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'demo.sqlite'}",
                      "PUBLIC_BASE_URL": "http://127.0.0.1:5000"})
    with app.app_context():
        db.create_all()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["portal", "demo"])
    assert first.exit_code == 0, first.output
    assert "Demo data loaded." in first.output
    assert "http://127.0.0.1:5000/" in first.output and "http://127.0.0.1:5000/dev/outbox" in first.output
    for agent in AGENTS:
        assert agent["email"] in first.output and agent["password"] in first.output
    with app.app_context():
        counts = (db.session.scalar(select(func.count(User.id))), db.session.scalar(select(func.count(Category.id))))
    assert counts[0] == len(AGENTS) and counts[1] > 0
    second = runner.invoke(args=["portal", "demo"])
    assert second.exit_code == 0 and "Demo data was already there." in second.output
    assert "http://127.0.0.1:5000/" in second.output, "the addresses are printed every start"
    with app.app_context():
        assert (db.session.scalar(select(func.count(User.id))),
                db.session.scalar(select(func.count(Category.id)))) == counts, "nothing loaded twice"
        db.engine.dispose()


def test_production_refuses_to_start_without_shared_rate_limits(monkeypatch):
    """Finding 8: without Redis each worker would count the login limit on its own."""
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    settings = {"GEHOORD_ENV": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://", "PUBLIC_BASE_URL": PUBLIC,
                "SECRET_KEY": "a-real-secret-for-this-test-" + "x" * 10}
    with pytest.raises(RuntimeError, match="REDIS_URL is not set"):
        create_app(settings)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/15")
    assert create_app(settings).name == "portal", "with Redis it starts"
    monkeypatch.delenv("REDIS_URL")
    one_process = create_app({**settings, "RATELIMIT_STORAGE_URI": "memory://"})
    assert one_process.config["RATELIMIT_STORAGE_URI"] == "memory://", "said explicitly: one process on purpose"
