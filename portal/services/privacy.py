"""Privacy: personal data is kept only as long as needed, and erased when the customer asks.

Anonymising keeps what reports count (reference, kind, category, status, the moments things
happened, promises and their states, offers' remedy and amount, the classification) and removes
everything that says who the customer is or what they wrote: contact details, the story, messages,
notes, reasons, mails, and the secret status links (the link then opens nothing).
"""
from __future__ import annotations

import calendar as _calendar
from datetime import datetime

from ..i18n import lazy_gettext as _l
from sqlalchemy import and_, delete, func, or_, select, update

from ..extensions import db
from ..models import Complaint, Draft, InboundMail, OutboxMail, User, utcnow
from . import attachments
from ..states import MailStatus, Status
from .complaints import end_open_promises, find_by_reference, record_event
from .errors import DomainError
from .audit import audit
from .text import normalise_email

CLOSED_STATUSES = Status.ENDED
# Event data that holds only codes, ids, amounts and moments; everything else (names, reasons) goes.
SAFE_EVENT_DATA = frozenset({"channel", "fields", "promise", "offer", "remedy", "amount_cents", "currency",
                             "cosigned_by", "handled_as", "root_cause", "chance_to_improve", "due", "via",
                             "solved", "treatment", "come_back"})
ERASED = ""  # what an erased text field holds (the columns that must hold something)


class PrivacyError(DomainError):
    """The request does not fit the complaint (for instance: it was erased already)."""


def _erased_already() -> PrivacyError:
    return PrivacyError(_l("The personal details of this complaint are erased already."))


def months_before(moment: datetime, months: int) -> datetime:
    """The same moment `months` calendar months earlier (31 March minus one month is 28/29 February)."""
    index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    day = min(moment.day, _calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _closed_before(cutoff: datetime):
    """SQL: closed, and the latest closing moment that is set lies before the cutoff."""
    moments = (Complaint.closed_at, Complaint.resolved_at, Complaint.withdrawn_at)
    return and_(Complaint.status.in_(CLOSED_STATUSES), Complaint.anonymised_at.is_(None),
                or_(*(moment.is_not(None) for moment in moments)),
                *(or_(moment.is_(None), moment < cutoff) for moment in moments))


def purge_candidates(now: datetime, months: int):
    return select(Complaint).where(_closed_before(months_before(now, months))).order_by(Complaint.id)


def count_purgeable(now: datetime, months: int) -> int:
    """How many complaints `purge_closed` would anonymise now (for a dry run)."""
    return db.session.scalar(
        select(func.count(Complaint.id)).where(_closed_before(months_before(now, months)))) or 0


def purge_closed(now: datetime, months: int) -> int:
    """Anonymise every complaint closed longer than `months` months ago; returns how many. Idempotent."""
    count = 0
    for complaint in db.session.scalars(purge_candidates(now, months)).all():
        anonymise(complaint, now)
        count += 1
    db.session.flush()
    return count


def anonymise(complaint: Complaint, now: datetime | None = None, *, actor: str = "system",
              user_id: int | None = None) -> bool:
    """Remove the personal data of one complaint, keep its numbers. False when it was done before."""
    if complaint.anonymised_at is not None:
        return False
    now = now or utcnow()
    complaint.name = complaint.email = complaint.story = ERASED
    complaint.phone = complaint.happened_when = complaint.wish_other = None
    complaint.escalation_reason = complaint.close_reason = complaint.improvement_note = None
    for message in complaint.messages:
        message.body = ERASED
    for note in complaint.notes:
        note.body = ERASED
    for promise in complaint.promises:
        promise.move_reason = None
    for offer in complaint.offers:
        offer.text, offer.decline_reason, offer.carried_out_note = ERASED, None, None
    if complaint.survey_answer is not None:  # their words go; the three answers stay for the figures
        complaint.survey_answer.comment = None
    complaint.survey_remind_at = None
    for event in complaint.events:
        data = event.data or {}
        if set(data) - SAFE_EVENT_DATA:
            event.data = {key: value for key, value in data.items() if key in SAFE_EVENT_DATA}
    complaint.status_links.clear()  # the secret links open nothing any more
    attachments.remove_files(attachments.of_complaint(complaint))  # photos and papers: gone from the storage
    if complaint.submission_key:  # the draft the answers came from, and the key that would find it
        db.session.execute(delete(Draft).where(Draft.key == complaint.submission_key))
        complaint.submission_key = None
    # Mails about it: nothing personal stays, and a mail not sent yet is never sent.
    db.session.flush()
    db.session.execute(
        update(OutboxMail).where(OutboxMail.complaint_id == complaint.id, OutboxMail.status == MailStatus.PENDING)
        .values(status=MailStatus.CANCELLED))
    db.session.execute(
        update(OutboxMail).where(OutboxMail.complaint_id == complaint.id)
        .values(recipient=ERASED, body_text=ERASED, body_html=ERASED, last_error=None, reply_to=None))
    # Mails they sent us (services/inbound.py): the words and the address go. The reply tags stay
    # (only hashes): an answer that still comes gets the kind "this has ended" mail, nothing more.
    db.session.execute(
        update(InboundMail).where(InboundMail.complaint_id == complaint.id)
        .values(sender=ERASED, subject=None, reply_text=None, original=None))
    complaint.anonymised_at = now
    event = record_event(complaint, "anonymised", actor=actor, user_id=user_id, visible=False)
    event.created_at = now
    return True


# --- on the customer's request -------------------------------------------------------------------

ERASURE_VIA = ("web", "phone", "letter", "mail")


def request_erasure(complaint: Complaint, now: datetime | None = None, *, via: str = "web",
                    recorded_by: User | None = None) -> bool:
    """The customer asks us to erase their personal data (on the status page, or by phone, letter or
    mail to a colleague, who records it); an admin confirms it. The complaint keeps working until
    then. Returns False when it was asked before (nothing changes)."""
    if via not in ERASURE_VIA:
        raise ValueError(f"unknown way of asking: {via!r}")
    if complaint.anonymised_at is not None:
        raise _erased_already()
    if complaint.erasure_requested_at is not None:
        return False
    now = now or utcnow()
    complaint.erasure_requested_at, complaint.erasure_requested_via = now, via
    if recorded_by is None:
        event = record_event(complaint, "erasure_requested")
    else:
        event = record_event(complaint, "erasure_requested", actor="agent", user_id=recorded_by.id, via=via,
                             variant=f"erasure_requested_{via}")
        audit(recorded_by, "erasure_recorded", complaint.reference, after=dict(via=via))
    event.created_at = now
    db.session.flush()
    return True


def record_erasure_request(staff: User, which: str, via: str, now: datetime | None = None) -> list[Complaint]:
    """A customer asked a colleague (by phone, letter or mail) to erase their data: by reference
    (that complaint) or by e-mail address (every complaint of that address). Returns the complaints
    that are now waiting for an admin, including any asked before; none found is an error."""
    if via not in ERASURE_VIA[1:]:
        raise PrivacyError(_l("Choose how the customer asked"), "via")
    complaint = find_by_reference(which)
    found = [complaint] if complaint else []
    if not found and "@" in (which or ""):
        found = db.session.scalars(select(Complaint).where(
            func.lower(Complaint.email) == normalise_email(which)).order_by(Complaint.id)).all()
    found = [complaint for complaint in found if complaint.anonymised_at is None]
    if not found:
        raise PrivacyError(_l("We found no complaint with this reference or email address that still holds "
                              "personal data. Check what the customer told you."), "which")
    for complaint in found:
        request_erasure(complaint, now, via=via, recorded_by=staff)
    return found


def erasure_requests() -> list[Complaint]:
    """Requests still to confirm, oldest first."""
    return db.session.scalars(
        select(Complaint).where(Complaint.erasure_requested_at.is_not(None), Complaint.anonymised_at.is_(None))
        .order_by(Complaint.erasure_requested_at, Complaint.id)).all()


def confirm_erasure(complaint: Complaint, admin: User, now: datetime | None = None) -> None:
    """An admin confirms: the personal data goes at once, whatever the status. An open complaint is
    withdrawn first, so no promise stays open; no mail goes out (we no longer keep the address)."""
    if complaint.anonymised_at is not None:
        raise _erased_already()
    now = now or utcnow()
    if complaint.is_open:
        end_open_promises(complaint, now)
        event = record_event(complaint, "withdrawn", actor="system", visible=True)
        event.created_at = now
    if complaint.erasure_requested_at is None:
        complaint.erasure_requested_at = now
    confirmed = record_event(complaint, "erasure_confirmed", actor="agent", user_id=admin.id, visible=False)
    confirmed.created_at = now
    anonymise(complaint, now, actor="agent", user_id=admin.id)
    audit(admin, "erasure_confirmed", complaint.reference)
    db.session.flush()
