"""What customers do with a complaint they filed: follow it, reply, change details, withdraw, ask for a
manager. (Filing itself, with every rule for a new complaint, is `filing.py`.)"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext
from ..i18n import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Complaint, Event, Message, Promise, StatusLink, utcnow
from ..states import PromiseState, Status
from . import timelines
from .calendar import BusinessCalendar
from .errors import DomainError
from ..wording.customer import mail_subject
from .outbox import public_url, queue_mail
from .secrets import hash_token, new_token, normalise_reference
from .text import normalise_email


class NotAllowed(DomainError):
    """The customer's action does not fit the complaint's state (for instance: it was withdrawn)."""


# --- events and links ------------------------------------------------------------------------------

def record_event(complaint: Complaint, kind: str, actor: str = "customer", visible: bool = True,
                 user_id: int | None = None, **data) -> Event:
    event = Event(kind=kind, actor=actor, user_id=user_id, data=data, customer_visible=visible,
                  created_at=utcnow())
    complaint.events.append(event)
    return event


def claim_new_events(watermark, batch: int = 1000) -> list[Event]:
    """The events after an organisation's watermark (`Organisation.notices_read_to_event`, say), and
    the watermark moved past them, so each event is read once: with a conditional update, of two
    ticks at once only one gets them (the other gets none)."""
    from ..models import Organisation
    from .organisation import get_organisation

    organisation = get_organisation()
    start = getattr(organisation, watermark.key) or 0
    events = db.session.scalars(select(Event).where(Event.id > start).order_by(Event.id).limit(batch)).all()
    if not events:
        return []
    moved = db.session.execute(update(Organisation).where(Organisation.id == organisation.id, watermark == start)
                               .values({watermark.key: events[-1].id}))
    return events if moved.rowcount == 1 else []


def add_status_link(complaint: Complaint) -> str:
    """A new secret link to the status page; returns the token, which is stored only as a hash."""
    token = new_token()
    complaint.status_links.append(StatusLink(token_hash=hash_token(token)))
    return token


# A status link works while the complaint is open, and this long after it ended (resolved, closed or
# withdrawn): the 30 days in which a solved complaint can be opened again (work.REOPEN_DAYS), and two
# months more in which the page still says how it ended and that it can no longer be opened again.
LINK_DAYS_AFTER_END = 90


def link_works_until(complaint: Complaint) -> datetime | None:
    """Until when the complaint's status links open it; None while it is open (no end yet)."""
    ends = [moment for moment in (complaint.resolved_at, complaint.closed_at, complaint.withdrawn_at) if moment]
    if complaint.is_open or not ends:
        return None
    return max(ends) + timedelta(days=LINK_DAYS_AFTER_END)


def complaint_for_token(token: str, now: datetime | None = None) -> Complaint | None:
    """The complaint this secret link opens, or None: an unknown link, or one past its life."""
    if not token or len(token) > 100:
        return None
    # The complaint with its owner and category in one query. Its lists (promises, messages, ...)
    # load when the page reads them: for one complaint a lazy load costs less than `selectinload`.
    complaint = db.session.scalar(
        select(Complaint).join(StatusLink, StatusLink.complaint_id == Complaint.id)
        .where(StatusLink.token_hash == hash_token(token))
        .options(joinedload(Complaint.owner), joinedload(Complaint.category)))
    until = link_works_until(complaint) if complaint is not None else None
    if until is not None and (now or utcnow()) > until:
        return None
    return complaint


def end_other_links(complaint: Complaint, token: str) -> int:
    """"Someone else may have my link": every link but the one in use stops working. Returns how many."""
    keep = hash_token(token)
    others = [link for link in complaint.status_links if link.token_hash != keep]
    for link in others:
        complaint.status_links.remove(link)
    record_event(complaint, "other_links_ended", count=len(others))
    db.session.flush()
    return len(others)


def status_url(token: str) -> str:
    return public_url("public.status", token=token)


def status_url_for_mail(complaint: Complaint) -> str:
    """A fresh secret link for a mail: we keep only hashes, so the old links cannot be shown again."""
    return status_url(add_status_link(complaint))


# --- on the status page ---------------------------------------------------------------------------

WITHDRAWN_ALREADY = _l("You withdrew this, so nothing on it can change any more.")
CLOSED_ALREADY = _l("This is closed, so nothing on it can change any more.")


def require_open(complaint: Complaint, withdrawn=WITHDRAWN_ALREADY, closed=CLOSED_ALREADY) -> None:
    """Every customer action checks this first: a withdrawn or closed complaint takes no more."""
    if complaint.status == Status.WITHDRAWN:
        raise NotAllowed(withdrawn)
    if complaint.status == Status.CLOSED:
        raise NotAllowed(closed)


def add_customer_message(complaint: Complaint, body: str) -> Message:
    """The customer adds information or replies; the owner sees it in the thread.

    It is an answer: a wait for the customer ends (our paused promises move on), a resolved complaint
    no longer closes by itself, and a compliment or idea our answer closed opens again for it.
    """
    from . import lifecycle

    now = utcnow()
    if lifecycle.opens_again_on_message(complaint):
        complaint.status, complaint.closed_at = Status.IN_PROGRESS, None
        record_event(complaint, "opened_by_answer")
    # Sent from a tab opened before it was withdrawn or closed: they keep their words to send anew.
    require_open(complaint, _l("You withdrew this, so we cannot add your message to it. "
                               "Copy your text and send it as a new complaint."),
                 _l("This is closed, so we cannot add your message to it. "
                    "Copy your text and send it as a new complaint."))
    lifecycle.end_wait(complaint, now)
    if complaint.status == Status.RESOLVED:
        complaint.closes_at = None  # we heard from them: the owner answers before it closes
    message = customer_message(complaint, body, now)
    complaint.updated_at = now
    complaint.attention_at = now  # "needs my attention" for the owner, until they reply or clear it
    record_event(complaint, "customer_message")
    db.session.flush()
    return message


def customer_message(complaint: Complaint, body: str, now: datetime) -> Message:
    """A message from the customer on the complaint. One that comes before any message of ours is kept
    as "the customer had to ask" (charter right 7: they should not have to chase us)."""
    message = Message(author="customer", body=body, created_at=now)
    complaint.messages.append(message)
    if complaint.first_reply_at is None:
        complaint.customer_wrote_first = True
    return message


def update_contact(complaint: Complaint, *, name: str, email: str, phone: str | None,
                   contact_by: str, language: str) -> list[str]:
    """Change how we reach the customer; returns the names of what changed."""
    require_open(complaint)
    new = dict(name=name, email=email, phone=phone or None, contact_by=contact_by, language=language)
    changed = [field for field, value in new.items() if getattr(complaint, field) != value]
    old_email = complaint.email
    for field in changed:
        setattr(complaint, field, new[field])
    if changed:
        record_event(complaint, "contact_changed", fields=changed)
    db.session.flush()
    if "email" in changed and normalise_email(old_email) != normalise_email(email):
        # Whoever changed it had a link: the old address hears it, so a stolen link is noticed. No
        # link in this mail: the old address may no longer be theirs.
        queue_mail("address_changed", old_email, complaint.language,
                   mail_subject("address_changed", complaint),
                   complaint, old_email=old_email)
    return changed


def end_open_promises(complaint: Complaint, now: datetime) -> None:
    """Withdrawn (by the customer, or by an erasure): nothing more to do. Open promises are shown as
    ended, never as missed; an offer still open can no longer be accepted (or co-signed)."""
    from .lifecycle import end_what_is_open

    complaint.status, complaint.withdrawn_at = Status.WITHDRAWN, now
    end_what_is_open(complaint)


def withdraw(complaint: Complaint, now: datetime | None = None) -> None:
    """The customer withdraws; open promises end, and a mail confirms it."""
    require_open(complaint)
    now = now or utcnow()
    end_open_promises(complaint, now)
    record_event(complaint, "withdrawn")
    db.session.flush()
    queue_mail("withdrawn", complaint.email, complaint.language,
               mail_subject("withdrawn", complaint),
               complaint)


def ask_for_manager(complaint: Complaint, reason: str, calendar: BusinessCalendar,
                    now: datetime | None = None) -> None:
    """Right 10: the customer asks a manager to look at it, and gets a dated promise for that."""
    require_open(complaint)
    if complaint.escalated_at is not None:
        raise NotAllowed(_l("You already asked for a manager to look at this."))
    now = now or utcnow()
    from .lifecycle import end_wait

    end_wait(complaint, now, calendar)
    complaint.escalated_at, complaint.escalation_reason = now, reason or None
    timelines.add_promise(complaint, timelines.MANAGER_STEP, now, calendar)
    complaint.attention_at = now
    record_event(complaint, "manager_asked", reason=reason or "")
    db.session.flush()


def manager_due(complaint: Complaint, calendar: BusinessCalendar, now: datetime | None = None) -> datetime:
    """The date a manager contacts the customer by, when they ask now (shown before they ask)."""
    return timelines.due_for(complaint, timelines.MANAGER_STEP, now or utcnow(), calendar)


def find_by_reference(text: str) -> Complaint | None:
    """The complaint a reference names, however it was typed: any case, with or without the dash or spaces."""
    return db.session.scalar(select(Complaint).where(Complaint.reference == normalise_reference(text)))


def resend_status_link(reference: str, email: str) -> bool:
    """Mail a fresh status link when reference and address belong together. The caller shows the
    same answer either way, so nobody learns which complaints exist."""
    complaint = find_by_reference(reference)
    if complaint is None or normalise_email(complaint.email) != normalise_email(email):
        return False
    token = add_status_link(complaint)
    record_event(complaint, "link_sent_again")
    db.session.flush()
    queue_mail("link", complaint.email, complaint.language,
               mail_subject("link", complaint),
               complaint, status_url=status_url(token))
    return True


def mark_missed_promises(now: datetime | None = None) -> int:
    """Promises whose moment passed unkept: marked missed, and the customer is told, with an apology."""
    now = now or utcnow()
    missed = db.session.scalars(
        select(Promise).join(Complaint)
        .where(Promise.state == PromiseState.OPEN, Promise.due_at < now,
               Complaint.status.in_(Status.OPEN),
               Complaint.waiting_since.is_(None))).all()  # paused while we wait for the customer
    for promise in missed:
        promise.state, promise.missed_at = PromiseState.MISSED, now
        complaint = promise.complaint
        complaint.attention_at = now  # flagged for the owner
        record_event(complaint, "promise_missed", actor="system", promise=promise.key)
        queue_mail("missed", complaint.email, complaint.language,
                   lambda c=complaint: gettext("We did not keep our promise (%(ref)s)", ref=c.reference),
                   complaint, promise=promise, status_url=None)
    db.session.flush()
    return len(missed)
