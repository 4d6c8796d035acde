"""Staff are told what needs them, in their own language, through the outbox.

Notices come from the complaint's events (read once each, after a watermark, so no page pays for
them and every door that records an event is covered) and from promises about to be missed (found by
`tick`). They wait per person and go out as one digest mail, at most one an hour. A digest names the
reference, what happened and the first words of the story: never the status link, never contact
details.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import ngettext
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..models import (Category, CategorySubscription, Complaint, Event, Organisation, Promise, StaffNotice, User,
                      utcnow)
from ..states import PromiseState, Role, Status
from .complaints import claim_new_events
from .organisation import get_calendar, get_organisation
from .outbox import public_url, queue_mail

DIGEST_EVERY = timedelta(hours=1)
STORY_WORDS = 12  # how much of the story a digest shows: enough to recognise it, no more

# What a person can be told of, and the words of their settings page.
KINDS = {
    "new_complaint": _l("A new complaint in a category I follow"),
    "customer_message": _l("A message or answer from the customer of a complaint I own"),
    "escalation": _l("A customer asks for a manager (supervisors)"),
    "cosign": _l("An offer waits for a co-sign (supervisors)"),
    "promise_due": _l("A promise is due in the coming working hours and not kept yet (mine, or unowned for "
                     "supervisors)"),
}
# The line a digest gives each notice.
DIGEST_WORDS = {
    "new_complaint": _l("New complaint"),
    "customer_message": _l("The customer wrote or answered"),
    "escalation": _l("The customer asks for a manager"),
    "cosign": _l("An offer waits for your co-sign"),
    "promise_due": _l("A promise is due in the coming working hours"),
}
# Event kind -> (notice kind, who hears of it). Customer answers reach the owner.
CUSTOMER_ANSWERS = {"customer_message", "offer_accepted", "offer_declined", "new_date_agreed", "reopened",
                    "withdrawn", "contact_changed"}


def wants(person: User, kind: str) -> bool:
    return person.active and kind not in (person.notices_off or [])


def _supervisors() -> list[User]:
    return db.session.scalars(select(User).where(User.active.is_(True),
                                                 User.role.in_([Role.SUPERVISOR, Role.ADMIN]))).all()


def _subscribers(category_id: int | None) -> list[User]:
    if category_id is None:
        return []
    return db.session.scalars(select(User).join(CategorySubscription, CategorySubscription.user_id == User.id)
                              .where(CategorySubscription.category_id == category_id,
                                     User.active.is_(True))).all()


def _who_hears(event: Event, complaint: Complaint) -> tuple[str | None, list[User]]:
    if event.kind == "filed":
        return "new_complaint", _subscribers(complaint.category_id)
    if event.kind in ("survey_answered", "survey_changed") and (event.data or {}).get("solved") != "yes":
        # "Partly" or "not solved" after it ended: the owner hears of it (satisfaction.py flags it too).
        return "customer_message", [complaint.owner] if complaint.owner is not None else []
    if event.kind in CUSTOMER_ANSWERS and event.actor == "customer":
        return "customer_message", [complaint.owner] if complaint.owner is not None else []
    if event.kind == "manager_asked":
        return "escalation", _supervisors()
    if event.kind == "cosign_asked":
        return "cosign", _supervisors()
    return None, []


def _add(person: User, kind: str, complaint: Complaint, now: datetime, *, event_id=None, promise_id=None) -> bool:
    """One notice, unless this person already has it (a second tick at the same moment)."""
    try:
        with db.session.begin_nested():
            db.session.add(StaffNotice(user_id=person.id, kind=kind, complaint_id=complaint.id, event_id=event_id,
                                       promise_id=promise_id, created_at=now))
    except IntegrityError:
        return False
    return True


def collect(now: datetime | None = None, batch: int = 1000) -> int:
    """Turn new events into notices for the people who want them; returns how many were made.

    The watermark moves with a conditional update, so of two ticks at once one reads the events.
    """
    now = now or utcnow()
    events = claim_new_events(Organisation.notices_read_to_event, batch)
    if not events:
        return 0
    made = 0
    for event in events:
        complaint = event.complaint
        if complaint.anonymised_at is not None:
            continue
        kind, people = _who_hears(event, complaint)
        for person in people:
            if person.id != event.user_id and wants(person, kind):  # nobody is told of what they did
                made += _add(person, kind, complaint, now, event_id=event.id)
    return made


def promises_due_soon(now: datetime | None = None) -> int:
    """Open promises due within the admin's working hours and not kept: the owner is told (the
    supervisors when nobody owns it), once per promise."""
    now = now or utcnow()
    hours = get_organisation().notice_hours_before or 4
    horizon = get_calendar().add(now, hours, "working_hours")
    due = db.session.scalars(
        select(Promise).join(Complaint)
        .where(Promise.state == PromiseState.OPEN, Promise.due_at > now, Promise.due_at <= horizon,
               Complaint.status.in_(Status.OPEN), Complaint.waiting_since.is_(None),
               ~select(StaffNotice.id).where(StaffNotice.promise_id == Promise.id).exists())).all()
    made = 0
    for promise in due:
        complaint = promise.complaint
        people = [complaint.owner] if complaint.owner is not None else _supervisors()
        for person in people:
            if wants(person, "promise_due"):
                made += _add(person, "promise_due", complaint, now, promise_id=promise.id)
    return made


def first_words(story: str | None) -> str:
    words = (story or "").split()
    return " ".join(words[:STORY_WORDS]) + (" …" if len(words) > STORY_WORDS else "")


def send_digests(now: datetime | None = None) -> int:
    """One mail per person with waiting notices, at most one an hour; returns how many went out.

    The person's `last_digest_at` moves with a conditional update: of two ticks, one writes the mail.
    """
    now = now or utcnow()
    waiting = db.session.scalars(select(User).where(
        User.active.is_(True),
        or_(User.last_digest_at.is_(None), User.last_digest_at <= now - DIGEST_EVERY),
        select(StaffNotice.id).where(StaffNotice.user_id == User.id, StaffNotice.mailed_at.is_(None)).exists())
    ).all()
    sent = 0
    for person in waiting:
        last = person.last_digest_at
        claimed = db.session.execute(update(User).where(
            User.id == person.id,
            User.last_digest_at.is_(None) if last is None else User.last_digest_at == last)
            .values(last_digest_at=now))
        if claimed.rowcount != 1:
            continue
        notices = db.session.scalars(select(StaffNotice).where(
            StaffNotice.user_id == person.id, StaffNotice.mailed_at.is_(None))
            .order_by(StaffNotice.created_at, StaffNotice.id)).all()
        db.session.execute(update(StaffNotice).where(StaffNotice.id.in_([n.id for n in notices]))
                           .values(mailed_at=now))
        lines = [dict(words=DIGEST_WORDS[n.kind], reference=n.complaint.reference,
                      story=first_words(n.complaint.story) if n.complaint.anonymised_at is None else "",
                      url=public_url("agent.complaint_page", reference=n.complaint.reference)) for n in notices]
        queue_mail("staff_digest", person.email, person.language or "nl",
                   lambda count=len(lines): ngettext("Gehoord: %(num)s thing needs you",
                                                     "Gehoord: %(num)s things need you", count),
                   person=person, lines=lines, settings_url=public_url("agent.notice_settings"))
        sent += 1
    db.session.flush()
    return sent


def needing_me(person: User) -> int:
    """The count in the staff header: complaints of mine flagged for my attention."""
    return db.session.scalar(select(func.count(Complaint.id)).where(
        Complaint.owner_id == person.id, Complaint.attention_at.is_not(None),
        Complaint.status.in_(Status.MAY_NEED_ATTENTION))) or 0


def update_settings(person: User, *, language: str, kinds_on: set[str], category_ids: set[int]) -> None:
    """A person chooses their language, what they hear of and which categories they follow."""
    person.language = language if language in ("nl", "en") else "nl"
    person.notices_off = sorted(set(KINDS) - set(kinds_on))
    valid = set(db.session.scalars(select(Category.id).where(Category.id.in_(category_ids or [0]))))
    db.session.query(CategorySubscription).filter(CategorySubscription.user_id == person.id).delete()
    db.session.add_all(CategorySubscription(user_id=person.id, category_id=cid) for cid in sorted(valid))
    db.session.flush()


def followed_categories(person: User) -> set[int]:
    return set(db.session.scalars(select(CategorySubscription.category_id)
                                  .where(CategorySubscription.user_id == person.id)))

