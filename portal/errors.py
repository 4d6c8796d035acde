"""Kind error pages: every failure gets a plain sentence and a way on, never a stack trace."""
from datetime import datetime, timedelta, timezone

from flask import Flask, flash, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from .extensions import db, limiter
from .services.errors import DomainError


def register(app: Flask) -> None:
    def page(template: str, status: int, **context):
        db.session.rollback()
        return render_template(template, **context), status

    @app.errorhandler(404)
    def not_found(_error):
        if request.path.startswith("/api/"):  # an address the API does not have: its own kind of answer
            from .api.problems import problem

            db.session.rollback()
            return problem(404, "Not Found", "The API has no such address. See /api/v1/openapi.json.")
        return page("errors/404.html", 404)

    @app.errorhandler(OverflowError)
    def number_too_large(_error):  # an id in the address larger than any row can have
        return page("errors/404.html", 404)

    @app.errorhandler(CSRFError)
    def form_refused(_error):
        # The form's token did not match the session (a browser that was closed, cookies removed,
        # or a form sent from another site). Nothing is done with it. A customer's page is shown
        # again with what they typed: its form checks the token too, fails, and so saves nothing.
        db.session.rollback()
        view = app.view_functions.get(request.endpoint)
        if request.blueprint == "public" and view is not None:
            flash(_("We could not take this form, so nothing has changed yet. "
                    "What you typed is still here: check it and send it again."), "error")
            try:
                response = app.make_response(view(**(request.view_args or {})))
            except HTTPException as error:  # an unknown status link, a rate limit: their own page
                session_flashes_clear()
                return app.handle_http_exception(error)
            except Exception:  # the page itself fails (the database is away): the words below
                app.logger.exception("could not show the page again after a refused form")
                session_flashes_clear()
                return page("errors/form_expired.html", 400, typed=typed_values())
            if response.status_code == 200:
                db.session.rollback()
                response.status_code = 400
                return response
            session_flashes_clear()  # a redirect (no draft any more): the page below says it all
        return page("errors/form_expired.html", 400, typed=typed_values())

    @app.errorhandler(400)
    def bad_request(_error):
        return page("errors/400.html", 400)

    @app.errorhandler(413)
    def too_large(_error):
        return page("errors/413.html", 413)

    @app.errorhandler(403)
    def forbidden(_error):
        # The language switch goes to the start page: a refused page repeats nothing of its address.
        return page("errors/403.html", 403, here="/")

    @app.errorhandler(405)
    def method_not_allowed(_error):
        return page("errors/404.html", 405)

    @app.errorhandler(429)
    def too_many(error):
        return page("errors/429.html", 429, limit=getattr(error, "limit", None), retry=retry_moment())

    @app.errorhandler(OperationalError)
    def database_unreachable(_error):
        # Nothing was saved (the transaction is rolled back). Show what they typed, so it is not lost.
        return page("errors/503.html", 503, typed=typed_values())

    @app.errorhandler(DomainError)
    def refused(error):
        # A service refused and no view caught it: nothing of it is kept, and the person reads why.
        return page("errors/refused.html", 409, message=error.message)

    @app.errorhandler(500)
    def server_error(_error):
        return page("errors/500.html", 500)


def typed_values() -> list[str]:
    """What the person typed into the form that was sent, to show it back (never a password)."""
    hidden = {"csrf_token", "draft", "request_key", "seen_counter", "website", "password"}
    return [value for key, value in request.form.items(multi=True)
            if key.split("-")[-1] not in hidden and value.strip()]


def session_flashes_clear() -> None:
    from flask import session

    session.pop("_flashes", None)


def retry_moment() -> datetime | None:
    """When every limit this request broke has room again (the day's limit may be later than the
    hour's), rounded up to the next whole minute; None when no limit says it."""
    try:
        resets = [limit.reset_at for limit in limiter.current_limits if limit.breached]
    except Exception:  # the limits' storage is unreachable: say nothing rather than a wrong time
        return None
    if not resets:
        return None
    moment = datetime.fromtimestamp(max(resets), tz=timezone.utc)
    if moment.second or moment.microsecond:
        moment = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return moment
