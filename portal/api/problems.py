"""RFC 9457 problem details: every API error is a JSON object with a title, the status, a plain
sentence (`detail`), and per field what to fix (`errors`)."""
from __future__ import annotations

import json

from flask import current_app


def problem(status: int, title: str, detail: str, errors: list | None = None, headers: dict | None = None):
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    return current_app.response_class(json.dumps(body), status=status, mimetype="application/problem+json",
                                      headers=headers or {})


def json_answer(body: dict, status: int):
    return current_app.response_class(json.dumps(body), status=status, mimetype="application/json")
