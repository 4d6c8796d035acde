"""/api/v1/: file, follow and add to a complaint from another system. Thin: each call checks the
token and its scope, turns the JSON into the answers any door gives, calls one command, and answers."""
from __future__ import annotations

import base64
import hashlib
from functools import wraps

from flask import current_app, g, request
from flask_smorest import Blueprint
from marshmallow import EXCLUDE, Schema, fields, validate
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from ..extensions import db, limiter
from ..formatting import localized
from ..models import Complaint, utcnow
from ..services import categories as category_service
from ..services import complaints, filing, integrations
from ..services.errors import DomainError
from ..services.organisation import get_calendar
from ..services.outbox import public_url
from ..services.text import normalise_email
from ..services.timelines import current_timeline, plan
from ..states import Channel
from .problems import json_answer, problem

blp = Blueprint("api", __name__, url_prefix="/api/v1", description="Complaints, compliments and ideas")


# --- who is calling --------------------------------------------------------------------------------

def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header[:7].lower() == "bearer " else None


def _token_key() -> str:
    return "api:" + hashlib.sha256((_bearer() or request.remote_addr or "").encode()).hexdigest()


def needs(scope: str):
    """A valid, unrevoked token with this scope; else 401 or 403 as problem+json."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            integration = integrations.authenticate(_bearer())
            if integration is None:
                return problem(401, "Unauthorized", "Send a valid token: Authorization: Bearer <token>.",
                               headers={"WWW-Authenticate": 'Bearer realm="gehoord"'})
            g.integration = integration
            if scope not in (integration.scopes or []):
                return problem(403, "Forbidden", f"This token may not do this: it needs the scope {scope}.")
            return view(*args, **kwargs)
        return wrapped
    return decorator


@blp.errorhandler(HTTPException)
def http_problem(error: HTTPException):
    # webargs puts what did not fit the schema in error.data["messages"]: one entry per field.
    messages = (getattr(error, "data", None) or {}).get("messages") or {}

    def said(text):
        return " ".join(map(str, text)) if isinstance(text, list) else str(text)

    fields_wrong = []
    for location, found in messages.items():
        if isinstance(found, dict):
            fields_wrong += [{"field": name, "message": said(text)} for name, text in found.items()]
        else:  # the body as a whole: not JSON, say
            fields_wrong.append({"field": "body" if location == "json" else location, "message": said(found)})
    detail = "Some fields are not right: see errors." if fields_wrong else (error.description or error.name)
    return problem(error.code or 500, error.name, detail, errors=fields_wrong or None)


# The portal's own pages answer these codes with kind HTML pages (portal/errors.py); a handler per
# code on this blueprint comes first, so the API answers them as problem+json too.
for _code in (400, 404, 405, 413, 415, 429):
    blp.register_error_handler(_code, http_problem)


@blp.errorhandler(DomainError)
def domain_problem(error: DomainError):
    return problem(422, "Unprocessable Content", str(error.message),
                   errors=[{"field": field or "body", "message": str(message)} for field, message in error.problems])


def _limit() -> str:
    return current_app.config.get("API_LIMIT", "120/minute")


# --- schemas ---------------------------------------------------------------------------------------

class Loose(Schema):
    class Meta:
        unknown = EXCLUDE


class PromiseOut(Schema):
    label = fields.String(required=True, metadata={"description": "What we promise, in the customer's language"})
    due_at = fields.DateTime(required=True)
    state = fields.String(required=True, metadata={"description": "open, kept, missed, moved, proposed, ..."})


class ComplaintIn(Loose):
    kind = fields.String(load_default="complaint", validate=validate.OneOf(["complaint", "compliment", "suggestion"]))
    story = fields.String(required=True, validate=validate.Length(max=5000, error="At most 5,000 characters."),
                          metadata={"description": "What happened, in the customer's words"})
    category = fields.String(load_default=None, validate=validate.Length(max=64, error="At most 64 characters."),
                             metadata={"description": "A category slug (GET /categories), or 'other'"})
    wish = fields.String(load_default=None, validate=validate.Length(max=20, error="At most 20 characters."))
    amount = fields.String(load_default=None, validate=validate.Length(max=30, error="At most 30 characters."),
                           metadata={"description": "With the wish compensation: '25,50' or '25.50'"})
    wish_other = fields.String(load_default=None, validate=validate.Length(max=2000, error="At most 2,000 characters."))
    happened_when = fields.String(load_default=None, validate=validate.Length(max=200, error="At most 200 characters."))
    name = fields.String(required=True, validate=validate.Length(max=200, error="At most 200 characters."))
    email = fields.String(required=True, validate=validate.Length(max=254, error="At most 254 characters."))
    phone = fields.String(load_default=None, validate=validate.Length(max=40, error="At most 40 characters."))
    contact_by = fields.String(load_default="email", validate=validate.OneOf(["email", "phone"]))
    language = fields.String(load_default="nl", validate=validate.OneOf(["nl", "en"]))


class FiledOut(Schema):
    reference = fields.String(required=True)
    kind = fields.String(required=True)
    status = fields.String(required=True)
    status_url = fields.String(allow_none=True, metadata={
        "description": "The customer's own status page (a secret link: give it only to them)"})
    promises = fields.List(fields.Nested(PromiseOut), required=True)


class StatusOut(Schema):
    reference = fields.String(required=True)
    kind = fields.String(required=True)
    status = fields.String(required=True)
    category = fields.String(allow_none=True)
    created_at = fields.DateTime(required=True)
    promises = fields.List(fields.Nested(PromiseOut), required=True)


class ProofIn(Loose):
    email = fields.String(required=True, validate=validate.Length(max=254, error="At most 254 characters."),
                          metadata={"description": "The customer's email address: the proof you may read it"})


class MessageIn(ProofIn):
    body = fields.String(required=True,
                         validate=validate.Length(min=1, max=5000, error="Between 1 and 5,000 characters."))


class MessageOut(Schema):
    reference = fields.String(required=True)
    added = fields.Boolean(required=True)


class StepOut(Schema):
    label = fields.String(required=True)
    due_at = fields.DateTime(required=True, metadata={"description": "The date it would get if filed now"})


class CategoryOut(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    we_can = fields.String(allow_none=True)
    we_cannot = fields.String(allow_none=True)
    promises_if_filed_now = fields.List(fields.Nested(StepOut), required=True)


class IdempotencyHeader(Loose):
    idempotency_key = fields.String(data_key="Idempotency-Key", load_default=None,
                                    validate=validate.Length(max=200, error="At most 200 characters."),
                                    metadata={"description": "The same key twice gives the first answer"})


class ProofHeader(Loose):
    customer_email = fields.String(data_key="Customer-Email", required=True,
                                   validate=validate.Length(max=254, error="At most 254 characters."),
                                   metadata={"description": "The customer's email address: the proof you may read it"})


def _promises(complaint: Complaint) -> list[dict]:
    return [dict(label=localized(p, "label"), due_at=p.due_at, state=str(p.state)) for p in complaint.promises]


def _theirs(reference: str, email: str | None) -> Complaint | None:
    """The complaint with this reference, when the caller knows its customer's address; else None
    (an unknown reference and a wrong address answer the same, so neither can be guessed)."""
    complaint = complaints.find_by_reference(reference)
    if complaint is None or not complaint.email or complaint.anonymised_at is not None:
        return None
    return complaint if normalise_email(email or "") == normalise_email(complaint.email) else None


NOT_FOUND = "No complaint has this reference with this customer's address."


def _answered_once(key: str | None, payload: dict, answer):
    """A POST with an Idempotency-Key gives the first answer to that key again (200), not a second
    complaint or message; the same key for another request is refused. `answer()` does the work and
    returns the body (kept for the key) or a problem (never kept, so it can be sent again)."""
    integration = g.integration
    if key:
        earlier = integrations.earlier_answer(integration, key)
        if earlier is not None:
            if earlier.request_hash != integrations.request_hash(payload):
                return problem(422, "Unprocessable Content", "This Idempotency-Key was used for another request.",
                               errors=[{"field": "Idempotency-Key", "message": "Use a new key for a new request."}])
            return json_answer(earlier.body, 200)
    body = answer()
    if not isinstance(body, dict):
        return body
    if not key:
        return json_answer(body, 201)
    kept = integrations.keep_answer(integration, key, payload, 201, body)
    if kept is None:
        return problem(409, "Conflict", "A request with this Idempotency-Key is being handled. Try again.")
    return json_answer(kept.body, 201 if kept.body == body else 200)


def _status_of(complaint: Complaint) -> dict:
    return dict(reference=complaint.reference, kind=str(complaint.kind), status=str(complaint.status),
                category=complaint.category.slug if complaint.category else None, created_at=complaint.created_at,
                promises=_promises(complaint))


# --- the calls -------------------------------------------------------------------------------------

@blp.route("/complaints", methods=["POST"])
@limiter.limit(_limit, key_func=_token_key)
@needs("complaints:write")
@blp.arguments(IdempotencyHeader, location="headers", as_kwargs=True)
@blp.arguments(ComplaintIn)
@blp.response(201, FiledOut)
@blp.alt_response(200, schema=FiledOut, description="The first answer again: this Idempotency-Key was used")
@blp.alt_response(401, description="No valid token")
@blp.alt_response(422, description="What to fix, per field (problem+json)")
def file(data, idempotency_key=None):
    """File a complaint, compliment or idea: the same checks, limits, dated promises and mail as on the web."""
    return _answered_once(idempotency_key, data, lambda: _file(data, idempotency_key))


def _file(data, idempotency_key):
    integration = g.integration
    answers = dict(data, wish_amount_cents=None)
    if data.get("amount"):
        from ..services.money import parse_amount_cents

        answers["wish_amount_cents"] = parse_amount_cents(data["amount"])
        if answers["wish_amount_cents"] is None:
            return problem(422, "Unprocessable Content", "Some fields are not right: see errors.",
                           errors=[{"field": "amount", "message": "Write the amount like 25 or 25,50."}])
    key = None
    if idempotency_key:
        key = "api:" + hashlib.sha256(f"{integration.id}:{idempotency_key}".encode()).hexdigest()[:56]
    filed = filing.file_complaint(filing.validate_answers(answers, data["kind"]), channel=Channel.API,
                                  submission_key=key)
    complaint = filed.complaint
    if filed.created:
        complaint.integration_id = integration.id
        db.session.flush()
    return FiledOut().dump(dict(reference=complaint.reference, kind=str(complaint.kind), status=str(complaint.status),
                                status_url=public_url("public.status", token=filed.token) if filed.token else None,
                                promises=_promises(complaint)))


@blp.route("/complaints/<reference>", methods=["GET"])
@limiter.limit(_limit, key_func=_token_key)
@needs("status:read")
@blp.arguments(ProofHeader, location="headers", as_kwargs=True)
@blp.response(200, StatusOut)
@blp.alt_response(404, description="No complaint with this reference and address (problem+json)")
def status(reference, customer_email):
    """Where a complaint stands, with its dated promises; the customer's address is the proof."""
    complaint = _theirs(reference, customer_email)
    if complaint is None:
        return problem(404, "Not Found", NOT_FOUND)
    return _status_of(complaint)


@blp.route("/complaints/<reference>/messages", methods=["POST"])
@limiter.limit(_limit, key_func=_token_key)
@needs("complaints:write")
@blp.arguments(IdempotencyHeader, location="headers", as_kwargs=True)
@blp.arguments(MessageIn)
@blp.response(201, MessageOut)
@blp.alt_response(200, schema=MessageOut, description="The first answer again: this Idempotency-Key was used")
@blp.alt_response(404, description="No complaint with this reference and address (problem+json)")
def add_message(data, reference, idempotency_key=None):
    """Add the customer's message, as on their status page (the owner is told). With an
    Idempotency-Key the same message sent twice is added once."""
    def add():
        complaint = _theirs(reference, data["email"])
        if complaint is None:
            return problem(404, "Not Found", NOT_FOUND)
        complaints.add_customer_message(complaint, data["body"].strip())
        return dict(reference=complaint.reference, added=True)

    return _answered_once(idempotency_key, dict(data, reference=reference), add)


class ListQuery(Loose):
    after = fields.String(load_default=None, validate=validate.Length(max=40, error="At most 40 characters."),
                          metadata={"description": "The `next` cursor of the page before"})
    limit = fields.Integer(load_default=25, validate=validate.Range(min=1, max=100, error="From 1 to 100."))


class PageOut(Schema):
    items = fields.List(fields.Nested(StatusOut), required=True)
    next = fields.String(allow_none=True, required=True, metadata={
        "description": "Give it as `after` for the next page; null on the last page"})


def _cursor(complaint_id: int) -> str:
    return base64.urlsafe_b64encode(f"c{complaint_id}".encode()).decode().rstrip("=")


def _after(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return -1
    return int(text[1:]) if text[:1] == "c" and text[1:].isdigit() and len(text) < 20 else -1


@blp.route("/complaints", methods=["GET"])
@limiter.limit(_limit, key_func=_token_key)
@needs("status:read")
@blp.arguments(ListQuery, location="query", as_kwargs=True)
@blp.response(200, PageOut)
def list_filed(after=None, limit=25):
    """What this integration filed, newest first, a page at a time (a cursor, so a page never shifts
    when new complaints come in)."""
    before_id = _after(after)
    if before_id == -1:
        return problem(422, "Unprocessable Content", "Some fields are not right: see errors.",
                       errors=[{"field": "after", "message": "Give the `next` value of the page before."}])
    query = select(Complaint).where(Complaint.integration_id == g.integration.id)
    if before_id is not None:
        query = query.where(Complaint.id < before_id)
    rows = db.session.scalars(query.order_by(Complaint.id.desc()).limit(limit + 1)).all()
    page, more = rows[:limit], len(rows) > limit
    return dict(items=[_status_of(c) for c in page],
                next=_cursor(page[-1].id) if more else None)


@blp.route("/categories", methods=["GET"])
@limiter.limit(_limit, key_func=_token_key)
@needs("categories:read")
@blp.response(200, CategoryOut(many=True))
def categories():
    """The categories a complaint can be about, each with the dates it would be promised if filed now
    (so a chatbot can say "you hear from a person by Tuesday 17:00" before filing)."""
    calendar, now = get_calendar(), utcnow()
    found = []
    for category in category_service.active_categories():
        timeline = current_timeline("complaint", category.id)
        steps = list(timeline.steps) if timeline is not None else []
        planned = plan(steps, now, calendar) if steps else []
        found.append(dict(slug=category.slug, name=localized(category, "name"), we_can=localized(category, "can_do"),
                          we_cannot=localized(category, "cannot_do"),
                          promises_if_filed_now=[dict(label=localized(step, "label"), due_at=promise.due_at)
                                                 for step, promise in zip(steps, planned, strict=False)]))
    return found

