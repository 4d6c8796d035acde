"""What customers do: file a complaint, follow it, reply, change details, withdraw, ask for a manager."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext
from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import (Category, Complaint, Draft, Event, Message, Organisation, OutboxMail, Promise, StatusLink,
                      earliest_open_due, utcnow)
from . import timelines
from .calendar import BusinessCalendar
from .outbox import public_url, queue_mail, render_mail, unwritten_mail, written_when_sent
from .secrets import hash_token, is_draft_key, new_draft_key, new_reference, new_token, normalise_reference

KINDS = ("complaint", "compliment", "suggestion")
WISHES = ("fix", "compensation", "explanation", "listen", "other")
STATUSES = ("received", "in_progress", "proposal_made", "resolved", "closed", "withdrawn")


class NotAllowed(Exception):
    """The action does not fit the complaint's state (for instance: it was withdrawn)."""


@dataclass(frozen=True)
class Filed:
    complaint_id: int
    token: str
    created: bool  # False when the same answers were sent before (a double click, a retry)

    @property
    def complaint(self) -> Complaint:
        """The filed complaint, read when asked for (the filing page itself needs only the token)."""
        return db.session.get(Complaint, self.complaint_id)


# --- drafts -------------------------------------------------------------------------------------

def get_draft(key: str | None) -> Draft | None:
    return db.session.get(Draft, key) if is_draft_key(key) else None


def finished_draft(key: str | None):
    """The draft a filing is sent with, read only (key, kind and answers): filing reads it and never
    changes it, so a Core statement built once does, without the ORM's work."""
    if not is_draft_key(key):
        return None
    return db.session.connection().execute(_DRAFT, {"key": key}).first()


_DRAFT = select(Draft.key, Draft.kind, Draft.data).where(Draft.key == bindparam("key"))


def start_draft(kind: str) -> Draft:
    draft = Draft(key=new_draft_key(), kind=kind, data={})
    db.session.add(draft)
    db.session.flush()
    return draft


def save_answers(draft: Draft, answers: dict) -> None:
    """Keep what the customer answered on one question page."""
    draft.data = {**(draft.data or {}), **answers}  # a new dict, so the JSON column is saved
    draft.updated_at = utcnow()


def purge_old_drafts(now: datetime, days: int) -> int:
    old = db.session.scalars(select(Draft).where(Draft.updated_at < now - timedelta(days=days))).all()
    for draft in old:
        db.session.delete(draft)
    return len(old)


# --- filing ---------------------------------------------------------------------------------------

def record_event(complaint: Complaint, kind: str, actor: str = "customer", visible: bool = True,
                 user_id: int | None = None, **data) -> Event:
    event = Event(kind=kind, actor=actor, user_id=user_id, data=data, customer_visible=visible,
                  created_at=utcnow())
    complaint.events.append(event)
    return event


def add_status_link(complaint: Complaint) -> str:
    """A new secret link to the status page; returns the token, which is stored only as a hash."""
    token = new_token()
    complaint.status_links.append(StatusLink(token_hash=hash_token(token)))
    return token


def complaint_for_token(token: str) -> Complaint | None:
    if not token or len(token) > 100:
        return None
    # The complaint with its owner and category in one query. Its lists (promises, messages, ...)
    # load when the page reads them: for one complaint a lazy load costs less than `selectinload`.
    return db.session.scalar(
        select(Complaint).join(StatusLink, StatusLink.complaint_id == Complaint.id)
        .where(StatusLink.token_hash == hash_token(token))
        .options(joinedload(Complaint.owner), joinedload(Complaint.category)))


def page_version(token: str) -> tuple[int, int] | None:
    """What the status page of this link shows is the same while this pair is: the complaint's
    version and the names version, both raised by the database (portal/versions.py). None for a
    link that does not work (never was, or stopped working after an erasure)."""
    if not token or len(token) > 100:
        return None
    # Read on every visit of a kept page: a Core statement built once, without the ORM's work.
    row = db.session.connection().execute(_PAGE_VERSION, {"token_hash": hash_token(token)}).first()
    return tuple(row) if row is not None else None


_PAGE_VERSION = (
    select(Complaint.version,
           select(Organisation.names_version).order_by(Organisation.id).limit(1).scalar_subquery())
    .join(StatusLink, StatusLink.complaint_id == Complaint.id)
    .where(StatusLink.token_hash == bindparam("token_hash")))


def status_url(token: str) -> str:
    return public_url("public.status", token=token)


def status_url_for_mail(complaint: Complaint) -> str:
    """A fresh secret link for a mail: we keep only hashes, so the old links cannot be shown again."""
    return status_url(add_status_link(complaint))


def open_complaints_for(email: str) -> int:
    """How many open complaints this address has (to stop one address flooding the queue)."""
    return db.session.connection().execute(_OPEN_FOR, {"email": (email or "").strip().lower()}).scalar() or 0


# Asked at every filing: Core statements built once (the ORM's work per query cost more than the query).
_OPEN_FOR = select(func.count(Complaint.id)).where(
    func.lower(Complaint.email) == bindparam("email"), Complaint.status.in_(("received", "in_progress", "proposal_made")))
_REFERENCE_TAKEN = select(Complaint.id).where(Complaint.reference == bindparam("reference"))
_FILED_WITH = select(Complaint.id).where(Complaint.submission_key == bindparam("key"))
_CATEGORY_ID = select(Category.id).where(Category.slug == bindparam("slug"))


def _filed_with(draft_key: str) -> int | None:
    """The complaint a draft was filed as before, if it was."""
    return db.session.connection().execute(_FILED_WITH, {"key": draft_key}).scalar()


def _free_reference() -> str:
    connection = db.session.connection()
    for _ in range(10):  # a clash of 8 random characters is rare; try a fresh one
        reference = new_reference()
        if connection.execute(_REFERENCE_TAKEN, {"reference": reference}).first() is None:
            return reference
    raise RuntimeError("could not find a free reference")  # pragma: no cover


def file_complaint(draft, calendar: BusinessCalendar, now: datetime | None = None,
                   channel: str = "web") -> Filed:
    """Turn a finished draft into a complaint with dated promises, an event and a confirmation mail.
    `draft` is a Draft, or the row `finished_draft` reads (key, kind and data).

    Filing is idempotent per draft: sending the same answers twice gives the first complaint back.
    """
    existing_id = _filed_with(draft.key)
    if existing_id is not None:
        return _filed_before(existing_id)

    now = now or utcnow()
    answers = draft.data
    category_id = None
    if answers.get("category") not in (None, "", "other"):
        category_id = db.session.connection().execute(_CATEGORY_ID, {"slug": answers["category"]}).scalar()
    kind = draft.kind if draft.kind in KINDS else "complaint"
    if kind != "complaint" and answers.get("signal_kind") in KINDS:
        kind = answers["signal_kind"]
    timeline_id = timelines.current_timeline_id(kind, category_id)
    if timeline_id is None:  # a fresh installation without the demo data: the seeded defaults apply
        timelines.ensure_default_timelines()
        timeline_id = timelines.current_timeline_id(kind, category_id)

    # An amount only goes with compensation, and own words only with "something else".
    wish = answers.get("wish") or None
    # Built in memory (the promises are worked out on it) and written with plain INSERT statements, not
    # through the session: the ORM's unit of work cost a third of a filing for these few rows.
    complaint = Complaint(
        reference=_free_reference(), submission_key=draft.key, kind=kind, channel=channel,
        status="received", category_id=category_id, timeline_id=timeline_id,
        story=answers["story"], happened_when=answers.get("happened_when") or None,
        wish=wish, wish_amount_cents=answers.get("wish_amount_cents") if wish == "compensation" else None,
        wish_other=(answers.get("wish_other") or None) if wish == "other" else None,
        name=answers["name"], email=answers["email"], phone=answers.get("phone") or None,
        contact_by=answers.get("contact_by") or "email",
        language=answers.get("language") or "nl", created_at=now, updated_at=now,
        promises=[], events=[], status_links=[])
    if timeline_id is not None:
        timelines.snapshot_promises(complaint, timeline_id, now, calendar)
    complaint.next_due_at = earliest_open_due(complaint.promises)
    record_event(complaint, "filed", channel=channel)
    token = add_status_link(complaint)
    # The confirmation mail waits in the outbox for the mail worker to write it (`_write_filed_mail`):
    # its templates cost a sixth of a filing, and the customer sees the confirmation page meanwhile.
    mail = unwritten_mail("filed", complaint.email, complaint.language)
    # No savepoint here: SQLite's driver commits a released savepoint on its own, which would
    # split the filing in two. A free reference is looked up first; the unique constraints stay
    # the last guard, and a lost race on the same draft (a double click) returns the first filing.
    try:
        complaint_id = _insert_filing(complaint, mail)
    except IntegrityError:
        db.session.rollback()
        existing_id = _filed_with(draft.key)
        if existing_id is None:
            raise
        return _filed_before(existing_id)
    return Filed(complaint_id, token, created=True)


@written_when_sent("filed")
def _write_filed_mail(row: OutboxMail) -> dict:
    """The confirmation of a filing, written by the mail worker from the complaint as it is then,
    with a secret link of its own (only hashes are kept: the filing's link cannot be read back)."""
    complaint = db.session.get(Complaint, row.complaint_id)
    return render_mail("filed", row.recipient, row.language,
                       lambda: gettext("We have received your message (%(ref)s)", ref=complaint.reference),
                       complaint, status_url=status_url_for_mail(complaint))


def _filed_before(complaint_id: int) -> Filed:
    """The same answers sent again: the first filing, with a fresh link (only hashes are kept)."""
    return Filed(complaint_id, add_status_link(db.session.get(Complaint, complaint_id)), created=False)


def _columns(obj, **values) -> dict:
    """The column values set on a model object built in memory (the table's defaults fill the rest)."""
    table = type(obj).__table__
    return {column.key: obj.__dict__[column.key] for column in table.columns
            if column.key in obj.__dict__ and column.key != "id"} | values


def _insert_filing(complaint: Complaint, mail: dict) -> int:
    """Write a new complaint, its promises, events, status links and mail: one statement per table."""
    connection = db.session.connection()
    complaint_id = connection.execute(insert(Complaint), _columns(complaint)).inserted_primary_key[0]
    for model, rows in ((Promise, complaint.promises), (Event, complaint.events),
                        (StatusLink, complaint.status_links)):
        if rows:
            connection.execute(insert(model), [_columns(row, complaint_id=complaint_id) for row in rows])
    connection.execute(insert(OutboxMail), [mail | {"complaint_id": complaint_id}])
    return complaint_id


# --- on the status page ---------------------------------------------------------------------------

def _require_open(complaint: Complaint) -> None:
    if complaint.status in ("withdrawn", "closed"):
        raise NotAllowed(complaint.status)


def add_customer_message(complaint: Complaint, body: str) -> Message:
    """The customer adds information or replies; the owner sees it in the thread."""
    _require_open(complaint)
    message = Message(author="customer", body=body, created_at=utcnow())
    complaint.messages.append(message)
    complaint.updated_at = utcnow()
    record_event(complaint, "customer_message")
    db.session.flush()
    return message


def update_contact(complaint: Complaint, *, name: str, email: str, phone: str | None,
                   contact_by: str, language: str) -> list[str]:
    """Change how we reach the customer; returns the names of what changed."""
    new = dict(name=name, email=email, phone=phone or None, contact_by=contact_by, language=language)
    changed = [field for field, value in new.items() if getattr(complaint, field) != value]
    for field in changed:
        setattr(complaint, field, new[field])
    if changed:
        record_event(complaint, "contact_changed", fields=changed)
    db.session.flush()
    return changed


def withdraw(complaint: Complaint, now: datetime | None = None) -> None:
    """The customer withdraws; open promises end, and a mail confirms it."""
    _require_open(complaint)
    now = now or utcnow()
    complaint.status, complaint.withdrawn_at = "withdrawn", now
    for promise in complaint.promises:
        if promise.state in ("open", "proposed"):
            promise.state = "ended"  # nothing more to do: shown as ended, never as missed
    record_event(complaint, "withdrawn")
    db.session.flush()
    queue_mail("withdrawn", complaint.email, complaint.language,
               lambda: gettext("You have withdrawn your complaint (%(ref)s)", ref=complaint.reference),
               complaint)


def ask_for_manager(complaint: Complaint, reason: str, calendar: BusinessCalendar,
                    now: datetime | None = None) -> None:
    """Right 10: the customer asks a manager to look at it, and gets a dated promise for that."""
    _require_open(complaint)
    if complaint.escalated_at is not None:
        raise NotAllowed("already asked")
    now = now or utcnow()
    complaint.escalated_at, complaint.escalation_reason = now, reason or None
    timelines.add_promise(complaint, timelines.MANAGER_STEP, now, calendar)
    complaint.attention_at = now
    record_event(complaint, "manager_asked", reason=reason or "")
    db.session.flush()


def manager_due(complaint: Complaint, calendar: BusinessCalendar, now: datetime | None = None) -> datetime:
    """The date a manager contacts the customer by, when they ask now (shown before they ask)."""
    return timelines.due_for(complaint, timelines.MANAGER_STEP, now or utcnow(), calendar)


def resend_status_link(reference: str, email: str) -> bool:
    """Mail a fresh status link when reference and address belong together. The caller shows the
    same answer either way, so nobody learns which complaints exist."""
    complaint = db.session.scalar(
        select(Complaint).where(Complaint.reference == normalise_reference(reference)))
    if complaint is None or complaint.email.strip().lower() != (email or "").strip().lower():
        return False
    token = add_status_link(complaint)
    record_event(complaint, "link_sent_again")
    db.session.flush()
    queue_mail("link", complaint.email, complaint.language,
               lambda: gettext("The link to your complaint (%(ref)s)", ref=complaint.reference),
               complaint, status_url=status_url(token))
    return True


def mark_missed_promises(now: datetime | None = None) -> int:
    """Promises whose moment passed unkept: marked missed, and the customer is told, with an apology."""
    now = now or utcnow()
    missed = db.session.scalars(
        select(Promise).join(Complaint)
        .where(Promise.state == "open", Promise.due_at < now,
               Complaint.status.in_(("received", "in_progress", "proposal_made")))).all()
    for promise in missed:
        promise.state, promise.missed_at = "missed", now
        complaint = promise.complaint
        complaint.attention_at = now  # flagged for the owner
        record_event(complaint, "promise_missed", actor="system", promise=promise.key)
        queue_mail("missed", complaint.email, complaint.language,
                   lambda c=complaint: gettext("We did not keep our promise (%(ref)s)", ref=c.reference),
                   complaint, promise=promise, status_url=None)
    db.session.flush()
    return len(missed)
