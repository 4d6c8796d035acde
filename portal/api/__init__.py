"""The API (`/api/v1/`): another door onto the same commands (filing.file_complaint, complaints.
add_customer_message) for systems an admin registered (services/integrations.py).

flask-smorest, because it builds the OpenAPI 3 document from the same marshmallow schemas that
check every request and answer, and works on the plain Flask app this portal is (APIFlask would
replace the app class; spectree would bring pydantic beside WTForms). Its catch-all error handler
is not installed: the portal's pages keep their own kind error pages, and the API answers every
error as RFC 9457 problem+json (`problems.py`).
"""
from __future__ import annotations

import http

from flask_smorest import Api as SmorestApi
from flask_smorest.utils import prepare_response
from marshmallow import Schema, fields

PROBLEM_JSON = "application/problem+json"


class FieldProblem(Schema):
    field = fields.String(required=True)
    message = fields.String(required=True)


class Problem(Schema):
    """RFC 9457: what every error answer looks like."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.List(fields.Nested(FieldProblem))


class Api(SmorestApi):
    ERROR_SCHEMA = Problem

    def _register_error_handlers(self):
        """Only the API's own errors are JSON: see the handlers on the API blueprint (views.py)."""

    def _register_responses(self):
        """The document says what the API answers: errors as problem+json (RFC 9457)."""
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            content_type = self.DEFAULT_RESPONSE_CONTENT_TYPE
            if status >= 400:
                response["schema"], content_type = self.ERROR_SCHEMA, PROBLEM_JSON
            prepare_response(response, self.spec, content_type)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response (problem+json)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def init_api(app) -> None:
    """One Api (and one OpenAPI document) per app: tests make many apps."""
    app.config.setdefault("API_TITLE", "Gehoord")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {"description": "File complaints, compliments and ideas, and follow them, from another system. "
                                "Errors are problem+json (RFC 9457); every POST takes an Idempotency-Key."},
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
    })
    api = Api(app)
    from .views import blp

    api.register_blueprint(blp)
    app.extensions["gehoord.api"] = api

    # Registered before the commit hook (portal/__init__.py), so it runs after it: the call is in the
    # audit whether the request's own change was kept or rolled back (a refused call is a call too).
    @app.after_request
    def audit_api_call(response):
        from flask import g, request

        from ..extensions import db
        from ..services import integrations

        integration = g.get("integration")
        if integration is not None:
            integrations.record_call(integration, request.method, request.path, response.status_code)
            db.session.commit()
        return response
