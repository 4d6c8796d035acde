"""Filing: every rule for a new complaint, compliment or suggestion, whatever door it comes in by.

A door (the customer's question pages, "file for a customer" on the agent side, and later the API,
the ambassador app and mail) turns what it received into a dict of answers and calls
`file_complaint(validate_answers(data), channel=...)`. Nothing here knows about WTForms or a request:

- `validate_answers` checks and cleans the answers (the limits below are the ones the forms show);
- at most MAX_OPEN_PER_EMAIL open complaints per address (`TooManyOpen`), for every door;
- no promise later than the organisation's longest handling time (6 weeks unless the admin says
  otherwise: `timelines.snapshot_promises`);
- idempotent by a submission key: the same key twice gives the first filing back (a double click, a
  retry, the same mail fetched twice);
- a confirmation mail waits in the outbox, written by the mail worker (`_write_filed_mail`).

The customer's own flow keeps its answers in a server-side draft until they send it (`file_draft`).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import ngettext
from flask_babel.speaklater import LazyString
from ..i18n import lazy_gettext as _l
from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..extensions import db
from ..models import (Attachment, Category, Complaint, Draft, DraftsStarted, Event, OutboxMail, Promise, StatusLink,
                      User, earliest_open_due, utcnow)
from ..states import Channel, ContactBy, Kind, Status, Wish
from . import insight_summary, timelines
from .calendar import BusinessCalendar
from .complaints import add_status_link, record_event, status_url_for_mail
from .errors import DomainError, refuse
from .money import MAX_AMOUNT_CENTS
from .organisation import get_calendar
from ..wording.customer import mail_subject
from .outbox import render_mail, unwritten_mail, written_when_sent
from .secrets import is_draft_key, new_draft_key, new_reference
from .text import clean_line, clean_text, is_email_address, is_phone_number, normalise_email

STORY_MIN, STORY_MAX = 10, 5000
WHEN_MAX, WISH_OTHER_MAX, NAME_MAX, EMAIL_MAX = 200, 2000, 200, 254
LANGUAGES = ("nl", "en")
OTHER_CATEGORY = "other"  # "something else": no category of ours fits


class InvalidAnswers(DomainError):
    """Answers a door sent that cannot be filed; `problems` lists each field and why."""


class TooManyOpen(DomainError):
    """This address has as many open complaints as one address may have."""

    def __init__(self, limit: int):
        # Lazy, so each door shows it in its reader's language; ngettext, so a cap of one reads right.
        super().__init__(LazyString(lambda: ngettext("You already have %(num)s complaint open with us",
                                                     "You already have %(num)s complaints open with us", limit)),
                         "email")
        self.limit = limit


@dataclass(frozen=True)
class Answers:
    """What a customer told us, checked and cleaned: what every door hands to `file_complaint`."""

    kind: Kind
    story: str
    name: str
    email: str
    language: str
    category: str | None = None  # a category's slug, or None ("something else", or not a complaint)
    happened_when: str | None = None
    wish: Wish | None = None
    wish_amount_cents: int | None = None  # only with the wish "compensation"
    wish_other: str | None = None  # only with the wish "other"
    phone: str | None = None
    contact_by: ContactBy = ContactBy.EMAIL


def validate_answers(data: Mapping, kind: str | None = None) -> Answers:
    """Check and clean answers from any door; raises InvalidAnswers with every problem found.

    `kind` is what the door files (the customer's compliment flow passes "compliment" and the
    answer `kind` says compliment or suggestion).
    """
    def line(name):
        return clean_line(data.get(name)) or None

    def text(name):
        # The customer's own words are kept as they wrote them; the checks read them cleaned.
        value = data.get(name)
        return value if isinstance(value, str) and clean_text(value) else None

    problems = []
    kind = data.get("kind") if data.get("kind") in Kind._value2member_map_ else kind
    if kind not in Kind._value2member_map_:
        problems.append(("kind", _l("Select a compliment or a suggestion")))
        kind = Kind.COMPLAINT
    kind = Kind(kind)
    story = text("story") or ""
    if not story:
        problems.append(("story", _l("Tell us what happened")))
    elif len(clean_text(story)) < STORY_MIN:
        problems.append(("story", _l("Tell us a little more: at least 10 characters")))
    elif len(clean_text(story)) > STORY_MAX:
        problems.append(("story", _l("What happened must be 5,000 characters or less")))
    happened_when = line("happened_when")
    if happened_when and len(happened_when) > WHEN_MAX:
        problems.append(("happened_when", _l("When it happened must be 200 characters or less")))

    category = wish = amount = wish_other = None
    if kind == Kind.COMPLAINT:
        category = line("category")
        if not category:
            problems.append(("category", _l("Select what your complaint is about")))
        elif category != OTHER_CATEGORY and _active_category_id(category) is None:
            problems.append(("category", _l("Select what your complaint is about")))
        if category == OTHER_CATEGORY:
            category = None
        wish = data.get("wish")
        if wish not in Wish._value2member_map_:
            problems.append(("wish", _l("Select what you would like us to do")))
            wish = None
        else:
            wish = Wish(wish)
        # An amount only goes with compensation, and own words only with "something else".
        if wish == Wish.COMPENSATION and data.get("wish_amount_cents") not in (None, ""):
            amount = data["wish_amount_cents"]
            if not isinstance(amount, int) or amount < 0:
                problems.append(("amount", _l("Enter the amount as a number, like 25 or 25,50")))
            elif amount > MAX_AMOUNT_CENTS:
                problems.append(("amount", _l("The amount must be 1,000,000 euros or less")))
        if wish == Wish.OTHER:
            wish_other = text("wish_other")
            if not wish_other:
                problems.append(("wish_other", _l("Tell us what you would like us to do")))
            elif len(clean_text(wish_other)) > WISH_OTHER_MAX:
                problems.append(("wish_other", _l("What you would like must be 2,000 characters or less")))

    name, email, phone = line("name"), line("email"), line("phone")
    if not name:
        problems.append(("name", _l("Enter your name")))
    elif len(name) > NAME_MAX:
        problems.append(("name", _l("Your name must be 200 characters or less")))
    if not email:
        problems.append(("email", _l("Enter your email address")))
    elif len(email) > EMAIL_MAX:
        problems.append(("email", _l("Your email address must be 254 characters or less")))
    elif not is_email_address(email):
        problems.append(("email", _l("Enter an email address in the correct format, like name@example.com")))
    if phone and not is_phone_number(phone):
        problems.append(("phone", _l("Enter a phone number, like 06 12345678 or +31 20 123 4567")))
    contact_by = data.get("contact_by") or ContactBy.EMAIL
    if contact_by not in ContactBy._value2member_map_:
        problems.append(("contact_by", _l("Select how you would like us to contact you")))
        contact_by = ContactBy.EMAIL
    elif contact_by == ContactBy.PHONE and not phone:
        problems.append(("contact_by", _l("Enter a phone number, or choose to be contacted by email")))
    language = data.get("language")
    if language not in LANGUAGES:
        problems.append(("language", _l("Select the language we should write to you in")))
    refuse(problems, InvalidAnswers)
    return Answers(kind=kind, story=story, name=name, email=email, language=language, category=category,
                   happened_when=happened_when, wish=wish, wish_amount_cents=amount, wish_other=wish_other,
                   phone=phone, contact_by=ContactBy(contact_by))


@dataclass(frozen=True)
class Filed:
    complaint_id: int
    # The new complaint's status link; None when the same key was filed before (a double click, a
    # retry): a link is made once, at the filing, and is never minted again for whoever sends the key.
    token: str | None
    created: bool

    @property
    def complaint(self) -> Complaint:
        """The filed complaint, read when asked for (the filing page itself needs only the token)."""
        return db.session.get(Complaint, self.complaint_id)


def open_complaints_for(email: str) -> int:
    """How many open complaints this address has (to stop one address flooding the queue)."""
    return db.session.connection().execute(_OPEN_FOR, {"email": normalise_email(email)}).scalar() or 0


def file_complaint(answers: Answers, *, channel: str = Channel.WEB, filed_by: User | None = None,
                   submission_key: str | None = None, calendar: BusinessCalendar | None = None,
                   now: datetime | None = None) -> Filed:
    """Turn checked answers into a complaint with dated promises, an event and a confirmation mail.

    Idempotent by `submission_key` (a new one when none is given): sending the same key twice gives
    the first complaint back. Refuses (TooManyOpen) when the address has the most open complaints
    one address may have. `filed_by` is the colleague who filed it for the customer.
    """
    submission_key = submission_key or new_draft_key()
    existing_id = _filed_with(submission_key)
    if existing_id is not None:
        return _filed_before(existing_id)
    limit = current_app.config["MAX_OPEN_PER_EMAIL"]
    if open_complaints_for(answers.email) >= limit:
        raise TooManyOpen(limit)

    now = now or utcnow()
    calendar = calendar or get_calendar()
    category_id = _active_category_id(answers.category) if answers.category else None
    timeline_id = timelines.current_timeline_id(answers.kind, category_id)
    if timeline_id is None:  # a fresh installation without the demo data: the seeded defaults apply
        timelines.ensure_default_timelines()
        timeline_id = timelines.current_timeline_id(answers.kind, category_id)

    # Built in memory (the promises are worked out on it) and written with plain INSERT statements, not
    # through the session: the ORM's unit of work cost a third of a filing for these few rows.
    values = asdict(answers) | dict(category_id=category_id)
    del values["category"]
    complaint = Complaint(
        **values, reference=new_reference(), submission_key=submission_key, channel=Channel(channel),
        status=Status.RECEIVED, timeline_id=timeline_id, created_at=now, updated_at=now,
        promises=[], events=[], status_links=[])
    if timeline_id is not None:
        timelines.snapshot_promises(complaint, timeline_id, now, calendar)
    complaint.next_due_at = earliest_open_due(complaint.promises)
    if filed_by is None:
        record_event(complaint, "filed", channel=channel)
    else:
        record_event(complaint, "filed", actor="agent", user_id=filed_by.id, channel=channel, name=filed_by.name)
    token = add_status_link(complaint)
    # The confirmation mail waits in the outbox for the mail worker to write it (`_write_filed_mail`):
    # its templates cost a sixth of a filing, and the customer sees the confirmation page meanwhile.
    mail = unwritten_mail("filed", complaint.email, complaint.language)
    for _ in range(10):  # a clash of 8 random characters is rare; try a fresh one
        complaint_id = _insert_filing(complaint, mail)
        if complaint_id is not None:
            return Filed(complaint_id, token, created=True)
        # Nothing was written: the same key was filed a moment ago (a double click on another
        # worker), or the reference was taken.
        existing_id = _filed_with(submission_key)
        if existing_id is not None:
            return _filed_before(existing_id)
        complaint.reference = new_reference()
    raise RuntimeError("could not find a free reference")  # pragma: no cover


@written_when_sent("filed")
def _write_filed_mail(row: OutboxMail) -> dict:
    """The confirmation of a filing, written by the mail worker from the complaint as it is then,
    with a secret link of its own (only hashes are kept: the filing's link cannot be read back)."""
    complaint = db.session.get(Complaint, row.complaint_id)
    return render_mail("filed", row.recipient, row.language,
                       mail_subject("filed", complaint),
                       complaint, status_url=status_url_for_mail(complaint))


def _filed_before(complaint_id: int) -> Filed:
    """The same answers sent again: the first filing, without a link (the first filing's is in its
    confirmation and its mail; a key alone opens nothing)."""
    return Filed(complaint_id, None, created=False)


def was_filed(submission_key: str | None) -> bool:
    """Whether a complaint was filed with this key (and not erased since: erasure forgets the key)."""
    return is_draft_key(submission_key) and _filed_with(submission_key) is not None


def link_for_the_filer(submission_key: str) -> str | None:
    """A fresh status link for the browser that held this draft in its own (signed) session and
    sent it twice before the first answer came back (a double click without JavaScript): it filed
    the complaint, so it sees its confirmation. Anyone else holding the key gets nothing."""
    complaint_id = _filed_with(submission_key) if is_draft_key(submission_key) else None
    if complaint_id is None:
        return None
    complaint = db.session.get(Complaint, complaint_id)
    token = add_status_link(complaint)
    db.session.flush()
    return token


# Asked at every filing: Core statements built once (the ORM's work per query cost more than the query).
_OPEN_FOR = select(func.count(Complaint.id)).where(
    func.lower(Complaint.email) == bindparam("email"), Complaint.status.in_(Status.OPEN))
_FILED_WITH = select(Complaint.id).where(Complaint.submission_key == bindparam("key"))
_CATEGORY_ID = select(Category.id).where(Category.slug == bindparam("slug"), Category.active.is_(True))


def _active_category_id(slug: str) -> int | None:
    return db.session.connection().execute(_CATEGORY_ID, {"slug": slug}).scalar()


def _filed_with(submission_key: str) -> int | None:
    """The complaint filed with this key before, if there is one."""
    return db.session.connection().execute(_FILED_WITH, {"key": submission_key}).scalar()


def _columns(obj, **values) -> dict:
    """The column values set on a model object built in memory (the table's defaults fill the rest)."""
    table = type(obj).__table__
    return {column.key: obj.__dict__[column.key] for column in table.columns
            if column.key in obj.__dict__ and column.key != "id"} | values


def _insert_filing(complaint: Complaint, mail: dict) -> int | None:
    """Write a new complaint, its promises, events, status links and mail: one statement per table.

    The complaint's INSERT does nothing when its submission key or reference is taken (ON CONFLICT
    DO NOTHING, on SQLite and PostgreSQL alike): then None, and nothing at all was written. So a
    lost race never needs a rollback, and the rest of the transaction stands.
    """
    connection = db.session.connection()
    dialect_insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    complaint_id = connection.execute(dialect_insert(Complaint).on_conflict_do_nothing().returning(Complaint.id),
                                      _columns(complaint)).scalar()
    if complaint_id is None:
        return None
    for model, rows in ((Promise, complaint.promises), (Event, complaint.events),
                        (StatusLink, complaint.status_links)):
        if rows:
            connection.execute(insert(model), [_columns(row, complaint_id=complaint_id) for row in rows])
    connection.execute(insert(OutboxMail), [mail | {"complaint_id": complaint_id}])
    insight_summary.note_filed(connection, complaint_id)
    if complaint.submission_key:  # photos and papers the draft held come along with its story
        connection.execute(update(Attachment).where(Attachment.draft_key == complaint.submission_key)
                           .values(complaint_id=complaint_id, draft_key=None))
    return complaint_id


# --- the customer's own flow: answers kept in a draft until they send them --------------------

def get_draft(key: str | None) -> Draft | None:
    return db.session.get(Draft, key) if is_draft_key(key) else None


def finished_draft(key: str | None):
    """The draft a filing is sent with, read only (key, kind and answers): filing reads it and never
    changes it, so a Core statement built once does, without the ORM's work."""
    if not is_draft_key(key):
        return None
    return db.session.connection().execute(_DRAFT, {"key": key}).first()


_DRAFT = select(Draft.key, Draft.kind, Draft.data).where(Draft.key == bindparam("key"))
_DELETE_DRAFT = delete(Draft).where(Draft.key == bindparam("key"))


def start_draft(kind: str) -> Draft:
    draft = Draft(key=new_draft_key(), kind=Kind(kind), data={})
    db.session.add(draft)
    db.session.flush()
    _count_draft_started(get_calendar().local_date(utcnow()))
    return draft


def _count_draft_started(day) -> None:
    """One more filing started today (right 2's indicator): one upsert, so two visitors starting at
    once both count."""
    connection = db.session.connection()
    dialect_insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = dialect_insert(DraftsStarted).values(day=day, count=1)
    connection.execute(statement.on_conflict_do_update(
        index_elements=[DraftsStarted.day], set_={"count": DraftsStarted.count + 1}))


def save_answers(draft: Draft, answers: dict) -> None:
    """Keep what the customer answered on one question page."""
    draft.data = {**(draft.data or {}), **answers}  # a new dict, so the JSON column is saved
    draft.updated_at = utcnow()


def purge_old_drafts(now: datetime, days: int) -> int:
    from . import attachments

    old = db.session.scalars(select(Draft).where(Draft.updated_at < now - timedelta(days=days))).all()
    for draft in old:
        attachments.remove_files(attachments.of_draft(draft.key))  # never sent: their files go too
        db.session.delete(draft)
    return len(old)


def file_draft(draft, *, calendar: BusinessCalendar | None = None, now: datetime | None = None,
               channel: str = Channel.WEB) -> Filed:
    """File the customer's finished draft (a Draft, or the row `finished_draft` reads); the draft's
    key is the submission key, so the same draft sent twice files once. The draft goes in the same
    transaction: the answers now live on the complaint only (and an erasure finds them all)."""
    filed = file_complaint(validate_answers(draft.data, draft.kind), channel=channel, submission_key=draft.key,
                           calendar=calendar, now=now)
    if isinstance(draft, Draft) and draft in db.session:
        db.session.expunge(draft)  # written below, not by the session's flush
    db.session.connection().execute(_DELETE_DRAFT, {"key": draft.key})
    return filed
