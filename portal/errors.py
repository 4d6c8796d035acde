"""Kind error pages: every failure gets a plain sentence and a way on, never a stack trace."""
from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError

from .extensions import db


def register(app: Flask) -> None:
    def page(template: str, status: int, **context):
        db.session.rollback()
        return render_template(template, **context), status

    @app.errorhandler(404)
    def not_found(_error):
        return page("errors/404.html", 404)

    @app.errorhandler(OverflowError)
    def number_too_large(_error):  # an id in the address larger than any row can have
        return page("errors/404.html", 404)

    @app.errorhandler(CSRFError)
    def form_expired(_error):
        return page("errors/form_expired.html", 400)

    @app.errorhandler(400)
    def bad_request(_error):
        return page("errors/400.html", 400)

    @app.errorhandler(403)
    def forbidden(_error):
        return page("errors/403.html", 403)

    @app.errorhandler(405)
    def method_not_allowed(_error):
        return page("errors/404.html", 405)

    @app.errorhandler(429)
    def too_many(error):
        retry = getattr(error, "retry_after", None)
        return page("errors/429.html", 429, limit=getattr(error, "limit", None), retry=retry)

    @app.errorhandler(OperationalError)
    def database_unreachable(_error):
        # Nothing was saved (the transaction is rolled back). Show what they typed, so it is not lost.
        hidden = {"csrf_token", "draft", "request_key", "seen_counter", "website", "password"}
        typed = [value for key, value in request.form.items(multi=True)
                 if key.split("-")[-1] not in hidden and value.strip()]
        return page("errors/503.html", 503, typed=typed)

    @app.errorhandler(500)
    def server_error(_error):
        return page("errors/500.html", 500)
