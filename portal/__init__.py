"""Gehoord: a complaint portal built on a customer rights charter."""
from __future__ import annotations

import os

from flask import Flask, g, has_request_context, request, session
from werkzeug.routing import IntegerConverter

from .config import CONFIGS, DEVELOPMENT_SECRETS, ROOT, Config, database_url_for
from .extensions import babel, csrf, db, init_migrations, limiter, login_manager, mail


def create_app(config: dict | str | None = None) -> Flask:
    """Build the app. No tables, no network, no prompts: only wiring.

    `config` is an environment name or a dict of settings (GEHOORD_ENV picks the environment).
    """
    if isinstance(config, str):
        config = {"GEHOORD_ENV": config}
    env_name = (config or {}).get("GEHOORD_ENV") or os.environ.get("GEHOORD_ENV", "production")
    config_class = CONFIGS.get(env_name, CONFIGS["production"])
    app = Flask(__name__, template_folder=Config.TEMPLATES_DIR, static_folder=Config.STATIC_DIR,
                instance_path=str(ROOT / "instance"), instance_relative_config=True)
    app.config.from_object(config_class)
    app.config["ENV_NAME"] = env_name
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url_for(app.instance_path)
    app.config.update(config or {})
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY is not set. Set it in the environment before starting Gehoord.")
    if env_name == "production" and (app.config["SECRET_KEY"] in DEVELOPMENT_SECRETS
                                     or len(app.config["SECRET_KEY"]) < 24):
        raise RuntimeError("SECRET_KEY is a development key or shorter than 24 characters. Set a long random "
                           "one, for instance: python -c 'import secrets; print(secrets.token_urlsafe(32))'")
    public_base_url = str(app.config.get("PUBLIC_BASE_URL") or "")
    if env_name == "production" and not public_base_url.startswith(("https://", "http://")):
        raise RuntimeError("PUBLIC_BASE_URL is not set, or does not start with https://. Set it to the address "
                           "customers use, for instance https://klachten.example.nl: every link in a mail (sent by "
                           "the worker, without a request to read the address from) is built on it.")
    if env_name == "production" and not (os.environ.get("REDIS_URL") or os.environ.get("RATELIMIT_STORAGE_URI")
                                         or (config or {}).get("RATELIMIT_STORAGE_URI")):
        raise RuntimeError("REDIS_URL is not set. Without it every app server process counts the rate limits on "
                           "its own: with 2 gunicorn workers an attacker gets 10 login tries per 15 minutes instead "
                           "of 5. Set REDIS_URL=redis://…, or RATELIMIT_STORAGE_URI=memory:// to run one process "
                           "on purpose.")

    if app.config.get("PROXY_HOPS"):  # behind a load balancer: trust that many X-Forwarded-* hops
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)
    from .log_filter import install as install_log_filter

    install_log_filter(app.logger)
    register_extensions(app)
    register_url_converters(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_error_handlers(app)
    register_template_helpers(app)
    register_cli(app)
    return app


def select_locale() -> str:
    """An explicit choice (the language switch), the language the customer chose for the complaint whose
    page this is, the browser's languages, the organisation's default, Dutch."""
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if "forced_language" in g:
        return g.forced_language
    chosen = session.get("language")
    if chosen in languages:
        return chosen
    if g.get("page_language") in languages:  # a status link opened in another person's browser
        return g.page_language
    return (request.accept_languages.best_match(languages) or _organisation_language(languages)
            or current_app.config["BABEL_DEFAULT_LOCALE"])


def _organisation_language(languages) -> str | None:
    """The organisation's default language, from the settings every page shows (no query of its own)."""
    from sqlalchemy.exc import SQLAlchemyError

    from .services.organisation import organisation_snapshot

    from .extensions import db

    try:
        with db.session.no_autoflush:  # the locale may be asked for halfway through a change
            language = organisation_snapshot().default_language
    except SQLAlchemyError:  # the error page for an unreachable database still renders
        return None
    return language if language in languages else None


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    # The `flask` command (any of it, `flask db` included) sets FLASK_RUN_FROM_CLI before it loads the
    # app; a test or a script that upgrades a database in-process says so with MIGRATIONS.
    if app.config.get("MIGRATIONS") or os.environ.get("FLASK_RUN_FROM_CLI") == "true":
        init_migrations(app)
    babel.init_app(app, locale_selector=select_locale)
    from . import i18n

    i18n.install(app)
    from .uploads import PortalRequest

    app.request_class = PortalRequest  # a larger request only where a form takes files
    csrf.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    from .i18n import lazy_gettext as _l

    login_manager.login_view = "agent.login"
    login_manager.login_message = _l("Log in to see this page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str):
        from .models import User

        # "id:version": a session from before a logout, a new password or a deactivation has an
        # older version and opens nothing.
        person_id, _, version = user_id.partition(":")
        if not (person_id.isdigit() and version.isdigit()):
            return None
        user = db.session.get(User, int(person_id))
        if user is None or not user.active or (user.session_version or 0) != int(version):
            return None
        return user

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        from sqlalchemy import event

        with app.app_context():
            engine = db.engine

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            # WAL lets readers work while one writer writes; wait for a lock instead of failing.
            # SQLite's waiters poll rather than queue, so with many writers at once one of them can
            # wait long: 30 seconds of waiting is better for a customer than "try again".
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()


class RowIdConverter(IntegerConverter):
    """`<int:…>` in our URLs is a row id: 1 up to what an INTEGER column holds (PostgreSQL refuses
    more), so a larger number is a plain 404 and never reaches the database."""

    def __init__(self, url_map, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, **kwargs)


def register_url_converters(app: Flask) -> None:
    app.url_map.converters["int"] = RowIdConverter


def register_blueprints(app: Flask) -> None:
    from .services import insight_summary  # noqa: F401  (its session hooks note what changes the figures)
    from .public import bp as public_bp

    app.register_blueprint(public_bp)
    from .agent import bp as agent_bp

    app.register_blueprint(agent_bp)
    from .admin import bp as admin_bp

    app.register_blueprint(admin_bp)
    from .insight import bp as insight_bp

    app.register_blueprint(insight_bp)
    from .ambassador import bp as ambassador_bp

    app.register_blueprint(ambassador_bp)
    from .api import init_api

    init_api(app)
    if app.config["SHOW_DEV_OUTBOX"]:
        from .dev import bp as dev_bp

        app.register_blueprint(dev_bp)


def register_request_hooks(app: Flask) -> None:
    """One place commits: after a request that went well. Anything else is rolled back: an error
    status, and any request in which a service refused (a DomainError), even when the view then
    redirected, so half of a refused change is never kept (portal/services/errors.py)."""
    from .services.errors import domain_error_raised

    @app.before_request
    def end_an_idle_session():
        """An agent's session ends after the idle time the admin set (default 8 hours)."""
        import time

        from flask import flash, redirect, request, session, url_for
        from flask_login import current_user, logout_user

        from .i18n import lazy_gettext as _l
        from .services.organisation import organisation_snapshot
        from .services.people import session_idle_too_long

        if request.endpoint == "static" or not current_user.is_authenticated:
            return None
        now = time.time()
        if session_idle_too_long(session.get("seen"), now, organisation_snapshot().agent_idle_hours or 8):
            logout_user()
            language = session.get("language")
            session.clear()
            if language:
                session["language"] = language
            flash(_l("You were away for a while, so we logged you out. Log in again to go on."), "info")
            return redirect(url_for("agent.login", next=request.full_path if request.method == "GET" else None))
        session["seen"] = int(now)
        return None

    @app.after_request
    def commit_or_roll_back(response):
        session = db.session()
        if not (session.in_transaction() or session.new or session.dirty or session.deleted):
            return response  # a page that read nothing from the database (the start page)
        if response.status_code < 400 and not domain_error_raised():
            session.commit()
        else:
            session.rollback()
        return response

    @app.after_request
    def security_headers(response):
        # The status link carries a secret: never send it on in a Referer header.
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
        # Status pages carry a secret and agent pages personal data: never kept in a cache.
        private = ("public.status", "public.answer", "agent.", "admin.", "insight.", "ambassador.", "api.")
        if request.endpoint and request.endpoint.startswith(private):
            response.headers["Cache-Control"] = "no-store"
        if app.config["SESSION_COOKIE_SECURE"]:  # production, behind HTTPS
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response


def register_error_handlers(app: Flask) -> None:
    from .errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from . import formatting, template_helpers

    formatting.register(app)
    template_helpers.register(app)


def register_cli(app: Flask) -> None:
    from .cli import portal_cli

    app.cli.add_command(portal_cli)
