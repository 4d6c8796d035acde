"""A complaint's life to the end: waiting on the customer, carrying out what was agreed, resolving and
closing. Charter rights 3 (promises kept, or honestly reported), 6 (a serious timeline, kept) and 10
(the customer stays master).

The rules, and why:
- While we wait for the customer's answer (our proposal, a new date we asked about, a question in a
  message), our open promises are paused: `mark_missed_promises` skips the complaint, so nobody is
  told "we broke our promise" for time the customer had. When they answer, each paused promise is
  due later by the working time we waited (the business calendar counts it), and the customer sees it
  as moved "because we waited for your answer".
- A wait has an end, told to the customer when it starts: one reminder halfway, then the complaint is
  closed with the reason (the admin sets the working days; default 10).
- Resolved (an accepted offer carried out, or an answer that was all the customer asked for): it
  closes by itself after the admin's working days unless the customer writes, which is said in
  advance, with the date until which it can be opened again.
- An accepted offer is carried out by the owner, with its own dated promise; only then is the
  complaint resolved. A refund names the payment reference the customer reads.
- Compliments and suggestions: our answer closes them; the customer's answer opens them again.
- The owner closes a complaint the customer agreed to close, with a reason the customer reads.
- Ending (resolved, closed, withdrawn) ends every open question, proposal and promise at once.
- State changes are conditional UPDATEs: of two people (or a person and `tick`) acting at once, one
  wins and the other gets a sentence, never a 500 or a complaint that is closed and agreed at once.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import force_locale, gettext
from sqlalchemy import select, update

from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..models import Complaint, Offer, Promise, User, utcnow
from ..states import Kind, OfferState, PromiseState, Status, WaitingFor
from .calendar import BusinessCalendar
from . import satisfaction
from .complaints import add_status_link, record_event, status_url, status_url_for_mail
from .errors import DomainError
from .organisation import get_calendar, organisation_snapshot
from .outbox import queue_mail
from .plain_language import refuse_vague_words

# Working days to carry out each remedy after the customer's yes (the admin can change them); an
# apology or an explanation is given in the offer itself: nothing is left to do after yes.
CARRY_OUT_DAYS = {"apology": 0, "explanation": 0, "fix": 5, "refund": 5, "credit": 5, "voucher": 5, "gift": 5}
# The promise a customer reads for it (present tense, a date beside it, as every promise).
CARRY_OUT_LABELS = {
    "fix": ("We hebben het hersteld of opnieuw gedaan", "We have fixed it or done it again"),
    "refund": ("We hebben het geld aan u teruggestort", "We have paid the money back to you"),
    "credit": ("Het tegoed staat op uw rekening", "The credit is on your account"),
    "voucher": ("U hebt de waardebon van ons gekregen", "You have received the voucher from us"),
    "gift": ("U hebt het cadeau van ons gekregen", "You have received the gift from us"),
}
CARRY_OUT_EXPLANATION = ("U zei ja tegen ons voorstel. Op deze dag is het gedaan.",
                         "You said yes to our proposal. By this day it is done.")
# The customer reads the payment reference of a refund, to find it on their bank statement.
NEEDS_REFERENCE = frozenset({"refund"})

NO_ANSWER_REASON = _l("We did not hear from you, so we have stopped working on it. "
                      "Do you still want us to help? Send us a new message.")


class LifeError(DomainError):
    """The step in a complaint's life does not fit where it stands (already closed, not the owner)."""


def carry_out_days(remedy: str) -> int:
    chosen = organisation_snapshot().carry_out_days or {}
    return int(chosen.get(remedy, CARRY_OUT_DAYS.get(remedy, 5)))


def wait_days() -> int:
    """Working days we wait for a customer's answer before we close it (the admin's setting)."""
    return organisation_snapshot().wait_days or 10


def close_after_days() -> int:
    """Working days after "resolved" before it closes by itself (the admin's setting)."""
    return organisation_snapshot().close_after_days or 10


def change_status(complaint: Complaint, allowed: frozenset | set, refusal, **values) -> None:
    """Move the complaint to a new status only if it still stands in `allowed`, in one UPDATE: of two
    people acting at once (or a person and the tick), one gets it and the other `refusal`."""
    changed = db.session.execute(
        update(Complaint).where(Complaint.id == complaint.id, Complaint.status.in_(allowed))
        .values(**values).execution_options(synchronize_session=False))
    if changed.rowcount != 1:
        db.session.refresh(complaint)
        raise LifeError(refusal)
    db.session.refresh(complaint)


# --- waiting on the customer ---------------------------------------------------------------------

def start_wait(complaint: Complaint, waiting_for: WaitingFor, now: datetime,
               calendar: BusinessCalendar | None = None) -> None:
    """We wait for the customer's answer: our open promises pause. A wait already running keeps the
    dates the customer was told; only what we wait for changes."""
    complaint.waiting_for = waiting_for
    if complaint.waiting_since is not None:
        return
    calendar = calendar or get_calendar()
    days = wait_days()
    complaint.waiting_since = now
    complaint.wait_ends_at = calendar.add(now, days, "working_days")
    complaint.wait_remind_at = calendar.add(now, days // 2, "working_days") if days >= 2 else None
    record_event(complaint, "wait_started", actor="system", waiting_for=str(waiting_for),
                 until=complaint.wait_ends_at.isoformat())


def end_wait(complaint: Complaint, now: datetime, calendar: BusinessCalendar | None = None) -> int:
    """The customer answered: each paused promise is due later by the working time we waited.
    Returns how many promises moved on."""
    since = complaint.waiting_since
    if since is None:
        return 0
    calendar = calendar or get_calendar()
    waited = calendar.working_time_between(since, now)
    moved = 0
    if waited > timedelta(0):
        hours = waited.total_seconds() / 3600
        for promise in complaint.promises:
            if promise.state == PromiseState.OPEN and promise.due_at > since:
                promise.due_before_wait = promise.due_at
                promise.due_at = calendar.add_working_hours(promise.due_at, hours)
                moved += 1
    complaint.waiting_since = complaint.waiting_for = None
    complaint.wait_remind_at = complaint.wait_ends_at = None
    if moved:
        record_event(complaint, "wait_ended", actor="system", moved=moved,
                     hours=round(hours, 1))
    return moved


def is_paused(promise: Promise) -> bool:
    """An open promise of a complaint that waits for the customer: it cannot be missed now."""
    return promise.state == PromiseState.OPEN and promise.complaint.waiting_since is not None


def remind_waiting(now: datetime | None = None) -> int:
    """Halfway through a wait: one reminder, with the date we close it. Returns how many."""
    now = now or utcnow()
    due = db.session.scalars(
        select(Complaint).where(Complaint.wait_remind_at <= now, Complaint.waiting_since.is_not(None),
                                Complaint.status.in_(Status.OPEN))).all()
    for complaint in due:
        taken = db.session.execute(
            update(Complaint).where(Complaint.id == complaint.id, Complaint.wait_remind_at.is_not(None))
            .values(wait_remind_at=None).execution_options(synchronize_session=False))
        if taken.rowcount != 1:
            continue  # another tick reminded them a moment ago
        db.session.refresh(complaint)
        record_event(complaint, "wait_reminded", actor="system")
        queue_mail("wait_reminder", complaint.email, complaint.language,
                   lambda c=complaint: gettext("We are waiting for your answer (%(ref)s)", ref=c.reference),
                   complaint, status_url=status_url_for_mail(complaint))
    db.session.flush()
    return len(due)


def close_unanswered(now: datetime | None = None) -> int:
    """The wait ended without an answer: closed, with the reason the customer was told in advance."""
    now = now or utcnow()
    due = db.session.scalars(
        select(Complaint).where(Complaint.wait_ends_at <= now, Complaint.waiting_since.is_not(None),
                                Complaint.status.in_(Status.OPEN))).all()
    closed = 0
    for complaint in due:
        with force_locale(complaint.language):
            reason = str(NO_ANSWER_REASON)
        try:
            change_status(complaint, Status.OPEN, _l("This complaint is no longer open."),
                          status=Status.CLOSED, closed_at=now, close_reason=reason)
        except LifeError:
            continue  # the customer answered, or withdrew, a moment ago
        end_what_is_open(complaint)
        record_event(complaint, "closed_unanswered", actor="system")
        queue_mail("closed", complaint.email, complaint.language,
                   lambda c=complaint: gettext("We have closed your complaint (%(ref)s)", ref=c.reference)
                   if c.kind == Kind.COMPLAINT else gettext("We have closed your message (%(ref)s)", ref=c.reference),
                   complaint, reason=reason, status_url=status_url_for_mail(complaint))
        closed += 1
    db.session.flush()
    return closed


# --- ending ----------------------------------------------------------------------------------------

def end_what_is_open(complaint: Complaint) -> None:
    """The complaint ended: every open question, proposal and promise ends with it (one line on the
    status page says so), and nothing is waited for any more."""
    for promise in complaint.promises:
        if promise.state in PromiseState.STILL_TO_KEEP:
            promise.state = PromiseState.ENDED
    for offer in complaint.offers:
        if offer.state in (OfferState.OFFERED, OfferState.WAITING_COSIGN):
            offer.state = OfferState.ENDED
    complaint.waiting_since = complaint.waiting_for = None
    complaint.wait_remind_at = complaint.wait_ends_at = None


def resolve(complaint: Complaint, now: datetime, calendar: BusinessCalendar | None = None,
            offer: Offer | None = None) -> None:
    """Done: the "resolved" promise is kept, what is still open ends, and the customer reads by when
    it closes and until when they can open it again."""
    from .work import reopen_until

    calendar = calendar or get_calendar()
    change_status(complaint, Status.OPEN, _l("This complaint is no longer open."), status=Status.RESOLVED,
                  resolved_at=now, closes_at=calendar.add(now, close_after_days(), "working_days"))
    from .timelines import keep_promise

    keep_promise(complaint, "resolved", now)
    end_what_is_open(complaint)
    record_event(complaint, "resolved", actor="agent" if offer is None else "system",
                 closes=complaint.closes_at.isoformat())
    db.session.flush()
    token = add_status_link(complaint)
    survey = satisfaction.ask_in_resolution_mail(complaint, token, now)  # {} when we do not ask
    queue_mail("resolved", complaint.email, complaint.language,
               lambda: gettext("Done: your complaint is solved (%(ref)s)", ref=complaint.reference),
               complaint, offer=offer, reopen_until=reopen_until(complaint),
               status_url=status_url(token), **survey)


def close_resolved(now: datetime | None = None) -> int:
    """Resolved and nothing heard by the announced date: closed (it was told, so no new mail)."""
    now = now or utcnow()
    due = db.session.scalars(select(Complaint).where(Complaint.status == Status.RESOLVED,
                                                     Complaint.closes_at <= now)).all()
    closed = 0
    for complaint in due:
        changed = db.session.execute(
            update(Complaint).where(Complaint.id == complaint.id, Complaint.status == Status.RESOLVED,
                                    Complaint.closes_at <= now)
            .values(status=Status.CLOSED, closed_at=now).execution_options(synchronize_session=False))
        if changed.rowcount == 1:
            db.session.refresh(complaint)
            record_event(complaint, "closed_in_time", actor="system")
            closed += 1
    db.session.flush()
    return closed


def close_by_owner(complaint: Complaint, agent: User, reason: str, customer_agreed: bool,
                   now: datetime | None = None) -> None:
    """The owner closes a complaint the customer agreed to close, with a reason the customer reads."""
    if complaint.owner_id != agent.id:
        raise LifeError(_l("Only the owner of the complaint can close it."))
    if not customer_agreed:
        raise LifeError(_l("Close it only when the customer agreed. Otherwise ask them, and wait for "
                           "their answer: it closes by itself when they do not answer."), "customer_agreed")
    reason = (reason or "").strip()
    if not reason:
        raise LifeError(_l("Write the reason the customer reads."), "reason")
    refuse_vague_words(reason, complaint.language, "reason", LifeError)
    now = now or utcnow()
    change_status(complaint, Status.OPEN | {Status.RESOLVED},
                  _l("This complaint is closed or withdrawn already."),
                  status=Status.CLOSED, closed_at=now, close_reason=reason)
    end_what_is_open(complaint)
    record_event(complaint, "closed", actor="agent", user_id=agent.id, name=agent.name, reason=reason)
    db.session.flush()
    queue_mail("closed", complaint.email, complaint.language,
               lambda: gettext("We have closed your complaint (%(ref)s)", ref=complaint.reference),
               complaint, reason=reason, status_url=status_url_for_mail(complaint))


def close_answered_signal(complaint: Complaint, now: datetime) -> None:
    """A compliment or a suggestion is closed by our answer; the customer can still answer us."""
    change_status(complaint, Status.OPEN, _l("This is closed already."), status=Status.CLOSED, closed_at=now)
    end_what_is_open(complaint)
    record_event(complaint, "closed_after_answer", actor="system")


def opens_again_on_message(complaint: Complaint) -> bool:
    """A compliment or idea our answer closed takes the customer's answer, and opens again for it."""
    return (complaint.kind != Kind.COMPLAINT and complaint.status == Status.CLOSED
            and complaint.close_reason is None and complaint.anonymised_at is None)


# --- carrying out what was agreed ----------------------------------------------------------------

def add_carry_out_promise(complaint: Complaint, offer: Offer, now: datetime, calendar: BusinessCalendar) -> Promise:
    """"<remedy> is done by <date>": it stands for the "what we agreed is done" promise, which says
    moved (one entry with its history on the customer's timeline)."""
    from .work import is_replaced

    label_nl, label_en = CARRY_OUT_LABELS.get(offer.remedy, ("Wat we met u hebben afgesproken, is gedaan",
                                                             "What we agreed with you has been done"))
    earlier = next((p for p in reversed(complaint.promises) if p.key == "resolved"
                    and p.state in PromiseState.MOVABLE and not is_replaced(p)), None)
    promise = Promise(position=len(complaint.promises) + 1, key="resolved", label_nl=label_nl, label_en=label_en,
                      explanation_nl=CARRY_OUT_EXPLANATION[0], explanation_en=CARRY_OUT_EXPLANATION[1],
                      due_at=calendar.add(now, carry_out_days(offer.remedy), "working_days"),
                      state=PromiseState.OPEN, replaces=earlier)
    if earlier is not None:
        if earlier.state == PromiseState.OPEN:
            earlier.state = PromiseState.MOVED
        with force_locale(complaint.language):
            earlier.moved_at = now
            earlier.move_reason = promise.move_reason = str(_l("You said yes to our proposal."))
    complaint.promises.append(promise)
    return promise


def mark_carried_out(complaint: Complaint, offer: Offer, agent: User, note: str | None,
                     now: datetime | None = None, calendar: BusinessCalendar | None = None) -> None:
    """The owner did what the customer accepted; the complaint is then resolved."""
    if complaint.owner_id != agent.id:
        raise LifeError(_l("Only the owner of the complaint can mark it as done."))
    note = (note or "").strip() or None
    if offer.remedy in NEEDS_REFERENCE and not note:
        raise LifeError(_l("Write the payment reference: the customer finds the payment with it."), "note")
    if note and len(note) > 200:
        raise LifeError(_l("Keep it to 200 characters."), "note")
    now = now or utcnow()
    done = db.session.execute(
        update(Offer).where(Offer.id == offer.id, Offer.state == OfferState.ACCEPTED)
        .values(state=OfferState.CARRIED_OUT, carried_out_at=now, carried_out_by_id=agent.id,
                carried_out_note=note).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.refresh(offer)
        raise LifeError(_l("This is marked as done already."))
    db.session.refresh(offer)
    record_event(complaint, "carried_out", actor="agent", user_id=agent.id, name=agent.name,
                 remedy=offer.remedy, note=note or "")
    resolve(complaint, now, calendar, offer=offer)


def accepted_offer(complaint: Complaint) -> Offer | None:
    """The offer the customer said yes to and we still carry out."""
    return next((o for o in reversed(complaint.offers) if o.state == OfferState.ACCEPTED), None)
