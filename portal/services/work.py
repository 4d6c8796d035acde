"""What agents do with a complaint: own it, talk with the customer, keep or move promises, learn from it.

One owner from the moment it is claimed to the end (no pillar to post): ownership moves only to a
named colleague with a note, and never back to nobody. A supervisor may take a complaint over (an
escalation, say) by handing it to themselves; a complaint reopened after its owner left goes to the
first active supervisor.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import gettext
from ..i18n import lazy_gettext as _l
from sqlalchemy import select, update

from charter.lint import lint
from charter.readability import readability

from ..extensions import db
from ..models import Complaint, Message, Note, Promise, User, utcnow
from ..states import HandledAs, Kind, OfferState, PromiseState, Role, RootCause, Status, WaitingFor
from . import lifecycle, timelines
from .calendar import BusinessCalendar
from .complaints import customer_message, record_event, require_open, status_url_for_mail
from .errors import DomainError
from .organisation import get_calendar
from ..wording.customer import mail_subject
from .outbox import queue_mail
from .plain_language import refuse_vague_words


def mandate_open_offer(complaint: Complaint):
    return next((o for o in reversed(complaint.offers) if o.state == OfferState.OFFERED), None)

HANDLED_AS = {
    HandledAs.FIX: _l("A complaint that needed fixing"),
    HandledAs.LISTEN: _l("Complaining that needed listening"),
    HandledAs.COMPLIMENT: _l("A compliment"),
    HandledAs.SUGGESTION: _l("A suggestion"),
}
ROOT_CAUSES = {
    RootCause.SYSTEM: _l("The system (software, tools)"),
    RootCause.PROCESS: _l("A process or a rule"),
    RootCause.PRODUCT: _l("The product"),
    RootCause.BEHAVIOUR: _l("A person's behaviour"),
    RootCause.UNKNOWN: _l("Unknown"),
}
REOPEN_DAYS = 30


class WorkError(DomainError):
    """An agent's or customer's action on a complaint does not fit its state."""


def clear_attention(complaint: Complaint, owner: User, now: datetime | None = None) -> None:
    """The owner read what came in and nothing needs an answer: off their "needs my attention" list."""
    if complaint.owner_id != owner.id:
        raise WorkError(_l("Only the owner can take this off their list."))
    if complaint.attention_at is not None:
        complaint.attention_at = None
        record_event(complaint, "attention_cleared", actor="agent", user_id=owner.id, visible=False,
                     name=owner.name)
        db.session.flush()


def claim(complaint: Complaint, agent: User, now: datetime | None = None) -> None:
    """Take a complaint that has no owner yet. Of two people claiming at once, one gets it."""
    now = now or utcnow()
    taken = db.session.execute(
        update(Complaint).where(Complaint.id == complaint.id, Complaint.owner_id.is_(None))
        .values(owner_id=agent.id).execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        db.session.refresh(complaint)
        raise WorkError(_l("%(name)s owns this complaint already.",
                           name=complaint.owner.name if complaint.owner else "?"))
    db.session.refresh(complaint)
    if complaint.status == Status.RECEIVED:
        complaint.status = Status.IN_PROGRESS
    complaint.updated_at = now
    record_event(complaint, "claimed", actor="agent", user_id=agent.id, name=agent.name)
    db.session.flush()


def hand_over(complaint: Complaint, by: User, to: User, note: str, now: datetime | None = None) -> None:
    """Give a complaint to a named colleague, with a note; the customer hears the new name.

    A supervisor may also hand it to themselves: that is how they take over an escalated complaint.
    """
    if complaint.owner_id != by.id and not by.can("supervisor"):
        raise WorkError(_l("Only the owner or a supervisor can hand this complaint over."))
    if not complaint.is_open:
        raise WorkError(_l("This complaint is no longer open, so it stays with its owner."))
    if to is None or not to.active:
        raise WorkError(_l("Choose a colleague who works here now."))
    if to.id == complaint.owner_id:
        raise WorkError(_l("This colleague owns the complaint already."))
    if not note or not note.strip():
        raise WorkError(_l("Write a note for your colleague: what they need to know."))
    now = now or utcnow()
    previous = complaint.owner
    complaint.owner = to
    complaint.updated_at = now
    complaint.notes.append(Note(user_id=by.id, body=note.strip(), created_at=now))
    variant = {"variant": "taken_over"} if to.id == by.id else {}
    record_event(complaint, "handed_over", actor="agent", user_id=by.id, name=to.name, by=by.name,
                 previous=previous.name if previous else "", **variant)
    db.session.flush()
    _tell_new_owner(complaint, to)


def _tell_new_owner(complaint: Complaint, owner: User) -> None:
    queue_mail("handed_over", complaint.email, complaint.language,
               mail_subject("handed_over", complaint),
               complaint, new_owner=owner, status_url=status_url_for_mail(complaint))


def reply(complaint: Complaint, agent: User, body: str, now: datetime | None = None, *,
          asks_question: bool = False, resolves: bool = False) -> Message:
    """Write to the customer: on the status page and by mail. The first reply keeps "contacts you".

    `asks_question`: we wait for their answer (our promises pause, and it closes on the date they
    are told if they do not answer). `resolves`: this answer is all they asked for (to be heard, an
    explanation), so it is resolved and closing is announced. Our answer to a compliment or an idea
    closes it (the customer can still answer). While an offer or a new date waits for the customer,
    a reply goes on waiting: the next move is theirs.
    """
    if complaint.owner_id != agent.id:
        raise WorkError(_l("Claim the complaint before you reply: then the customer knows who you are."))
    if not body or not body.strip():
        raise WorkError(_l("Write your message."))
    if complaint.status in (Status.WITHDRAWN, Status.CLOSED):
        raise WorkError(_l("This complaint is closed or withdrawn: the customer no longer gets messages on it."))
    if asks_question and resolves:
        raise WorkError(_l("Choose one: you ask a question, or your answer solves it."), "resolves")
    if resolves and (complaint.status not in Status.OPEN or complaint.status == Status.AGREED
                     or any(o.state in (OfferState.OFFERED, OfferState.WAITING_COSIGN) for o in complaint.offers)):
        raise WorkError(_l("This answer cannot solve it now: an offer waits for an answer, or what was "
                           "agreed is still to be done."), "resolves")
    now = now or utcnow()
    message = _our_message(complaint, agent, body, now)
    for key in ("contact", "passed_on", "answered"):
        timelines.keep_promise(complaint, key, now)
    if agent.can(Role.SUPERVISOR) and complaint.escalated_at is not None:
        timelines.keep_promise(complaint, "manager", now)
        complaint.escalation_answered_at = complaint.escalation_answered_at or now
    if complaint.status == Status.RECEIVED:
        complaint.status = Status.IN_PROGRESS
    complaint.updated_at = now
    complaint.attention_at = None
    record_event(complaint, "agent_replied", actor="agent", user_id=agent.id, name=agent.name)
    calendar = get_calendar()
    if complaint.status == Status.RESOLVED and complaint.closes_at is None:
        # They wrote after it was solved; with this answer it closes after the usual time again.
        complaint.closes_at = calendar.add(now, lifecycle.close_after_days(), "working_days")
    elif complaint.kind != Kind.COMPLAINT and complaint.is_open:
        lifecycle.close_answered_signal(complaint, now)
    elif resolves:
        db.session.flush()
        lifecycle.resolve(complaint, now, calendar)
    elif asks_question:
        lifecycle.start_wait(complaint, WaitingFor.QUESTION, now, calendar)
    elif mandate_open_offer(complaint) is not None:
        lifecycle.start_wait(complaint, WaitingFor.OFFER, now, calendar)
    elif any(p.state == PromiseState.PROPOSED for p in complaint.promises):
        lifecycle.start_wait(complaint, WaitingFor.NEW_DATE, now, calendar)
    db.session.flush()
    queue_mail("reply", complaint.email, complaint.language,
               mail_subject("reply", complaint),
               complaint, message=message, author=agent, status_url=status_url_for_mail(complaint))
    return message


def manager_answer_waits(complaint: Complaint) -> bool:
    """The customer asked for a manager and no manager has answered them yet."""
    return complaint.escalated_at is not None and complaint.escalation_answered_at is None


def answer_as_manager(complaint: Complaint, supervisor: User, body: str, now: datetime | None = None) -> Message:
    """Right 10: the manager the customer asked for answers them, dated, on the status page and by
    mail, without taking the complaint over: the owner goes on, and reads what the manager wrote.
    The answer keeps the promise "a manager contacts you"; one answer per request, also when two
    supervisors send at once."""
    if not supervisor.can(Role.SUPERVISOR):
        raise WorkError(_l("Only a supervisor can answer a request for a manager."))
    if not body or not body.strip():
        raise WorkError(_l("Write your answer to the customer."))
    if complaint.status in (Status.WITHDRAWN, Status.CLOSED):
        raise WorkError(_l("This complaint is closed or withdrawn: the customer no longer gets messages on it."))
    now = now or utcnow()
    # A conditional UPDATE, so a second supervisor sending at the same moment is told, not doubled.
    answered = db.session.execute(
        update(Complaint).where(Complaint.id == complaint.id, Complaint.escalated_at.is_not(None),
                                Complaint.escalation_answered_at.is_(None))
        .values(escalation_answered_at=now).execution_options(synchronize_session=False))
    if answered.rowcount != 1:
        db.session.refresh(complaint)
        raise WorkError(_l("A manager has already answered this request. You find the answer under Messages."))
    complaint.escalation_answered_at = now
    message = _our_message(complaint, supervisor, body, now)
    timelines.keep_promise(complaint, "manager", now)
    complaint.updated_at = now
    if complaint.owner_id is not None and complaint.owner_id != supervisor.id:
        complaint.attention_at = now  # the owner reads what the manager told their customer
    record_event(complaint, "manager_answered", actor="agent", user_id=supervisor.id, name=supervisor.name)
    db.session.flush()
    queue_mail("reply", complaint.email, complaint.language,
               lambda: gettext("A manager answers you about your complaint (%(ref)s)", ref=complaint.reference),
               complaint, message=message, author=supervisor, status_url=status_url_for_mail(complaint))
    return message


def _our_message(complaint: Complaint, person: User, body: str, now: datetime) -> Message:
    """A message from us to the customer, with what insight counts kept beside it as it is sent: its
    reading score, whether the plain-language check had a finding (sent anyway after the warning), and
    on the first one the working hours the customer waited for a person (charter rights 4 and 9)."""
    text = body.strip()
    message = Message(author="agent", user_id=person.id, body=text, created_at=now,
                      reading_score=readability(text, complaint.language),
                      lint_warned=bool(lint(text, complaint.language)))
    complaint.messages.append(message)
    if complaint.first_reply_at is None:
        complaint.first_reply_at = now
        waited = get_calendar().working_time_between(complaint.created_at, now)
        complaint.first_reply_hours = round(waited.total_seconds() / 3600, 2)
    return message


def add_note(complaint: Complaint, agent: User, body: str, now: datetime | None = None) -> Note:
    """A note for colleagues; the customer never sees it."""
    if not body or not body.strip():
        raise WorkError(_l("Write your note."))
    note = Note(user_id=agent.id, body=body.strip(), created_at=now or utcnow())
    complaint.notes.append(note)
    record_event(complaint, "note_added", actor="agent", user_id=agent.id, visible=False, name=agent.name)
    db.session.flush()
    return note


def classify(complaint: Complaint, agent: User, *, handled_as: str, root_cause: str,
             chance_to_improve: bool, improvement_note: str | None) -> None:
    """Record what it was and what we can learn, the same way every time."""
    if handled_as not in HANDLED_AS or root_cause not in ROOT_CAUSES:
        raise WorkError(_l("Choose what it was and what caused it."))
    if chance_to_improve and not (improvement_note or "").strip():
        raise WorkError(_l("Write what we could improve."))
    complaint.handled_as, complaint.root_cause = handled_as, root_cause
    complaint.chance_to_improve = chance_to_improve
    complaint.improvement_note = (improvement_note or "").strip() or None
    record_event(complaint, "classified", actor="agent", user_id=agent.id, visible=False,
                 handled_as=handled_as, root_cause=root_cause, chance_to_improve=chance_to_improve)
    db.session.flush()


def times_moved(promise: Promise) -> int:
    """How often this step of the complaint got a new date (asked or done), replaced promises included."""
    return sum(1 for p in promise.complaint.promises if p.key == promise.key and p.replaces_id is not None)


def is_replaced(promise: Promise) -> bool:
    """A newer date stands for this promise, or is asked of the customer: move that one instead."""
    return any(p.replaces_id == promise.id and p.state != PromiseState.DECLINED for p in promise.complaint.promises)


def can_move(promise: Promise) -> bool:
    return promise.state in PromiseState.MOVABLE and not is_replaced(promise)


def extend_promise(promise: Promise, agent: User, new_day: date, reason: str,
                   calendar: BusinessCalendar | None = None, now: datetime | None = None) -> Promise:
    """Move a promise to a later day, with a reason the customer reads; it is due at closing time.

    The old promise stays visible as moved or missed (never silently rewritten). Moves are counted
    per step of the complaint: from the second one on, the customer's yes on the status page is
    needed, and until then the earlier date stands. Only the newest date of a step can be moved.
    """
    complaint = promise.complaint
    now = now or utcnow()
    if complaint.owner_id != agent.id:
        raise WorkError(_l("Only the owner of the complaint can move a promise."))
    new_due = (calendar or get_calendar()).closing_time(new_day)
    if new_due is None:
        raise WorkError(_l("We are closed on that day. Choose a working day."), "new_date")
    if promise.state not in PromiseState.MOVABLE:
        raise WorkError(_l("This promise is kept or moved already."))
    if is_replaced(promise):
        raise WorkError(_l("This date has a newer date already. Move the newest date."))
    if not reason or not reason.strip():
        raise WorkError(_l("Write the reason the customer reads."), "reason")
    refuse_vague_words(reason, complaint.language, "reason", WorkError)
    if new_due <= max(now, promise.due_at):
        raise WorkError(_l("Choose a new date after the current one."))
    needs_agreement = times_moved(promise) >= 1
    new = Promise(position=len(complaint.promises) + 1, key=promise.key, label_nl=promise.label_nl,
                  label_en=promise.label_en, explanation_nl=promise.explanation_nl,
                  explanation_en=promise.explanation_en, due_at=new_due, replaces=promise,
                  move_reason=reason.strip(),
                  state=PromiseState.PROPOSED if needs_agreement else PromiseState.OPEN)
    complaint.promises.append(new)
    if not needs_agreement:
        _move(promise, reason, now)
    else:
        lifecycle.start_wait(complaint, WaitingFor.NEW_DATE, now, calendar)
    record_event(complaint, "promise_move_asked" if needs_agreement else "promise_moved", actor="agent",
                 user_id=agent.id, promise=promise.key, reason=reason.strip(), due=new_due.isoformat())
    db.session.flush()
    queue_mail("moved", complaint.email, complaint.language,
               lambda: gettext("A new date for your complaint (%(ref)s)", ref=complaint.reference),
               complaint, old=promise, new=new, needs_agreement=needs_agreement,
               status_url=status_url_for_mail(complaint))
    return new


def _move(promise: Promise, reason: str, now: datetime) -> None:
    if promise.state == PromiseState.OPEN:  # a missed promise stays missed: that is what happened
        promise.state = PromiseState.MOVED
    promise.moved_at, promise.move_reason = now, promise.move_reason or reason.strip()


def answer_new_date(promise: Promise, agree: bool, now: datetime | None = None) -> None:
    """The customer's answer to a second move: yes makes the new date the promise, no keeps the old."""
    require_open(promise.complaint)
    if promise.state != PromiseState.PROPOSED:
        raise WorkError(_l("You already answered this."))
    now = now or utcnow()
    complaint = promise.complaint
    if agree:
        _move(promise.replaces, promise.move_reason, now)  # first: the date they left is not moved on
        lifecycle.end_wait(complaint, now)
        promise.state, promise.agreed_at = PromiseState.OPEN, now
    else:
        lifecycle.end_wait(complaint, now)
        promise.state = PromiseState.DECLINED
    complaint.attention_at = now
    record_event(complaint, "new_date_agreed" if agree else "new_date_declined", promise=promise.key)
    db.session.flush()


def reopen_until(complaint: Complaint) -> datetime | None:
    """Until when a solved complaint can be opened again, also after it closed in time (None when it
    was not solved: closed unanswered or withdrawn)."""
    if complaint.status not in (Status.RESOLVED, Status.CLOSED) or complaint.resolved_at is None:
        return None
    return complaint.resolved_at + timedelta(days=REOPEN_DAYS)


def can_reopen(complaint: Complaint, now: datetime | None = None) -> bool:
    until = reopen_until(complaint)
    return until is not None and (now or utcnow()) <= until


def reopen(complaint: Complaint, reason: str, calendar: BusinessCalendar, now: datetime | None = None) -> None:
    """Within 30 days the customer opens a solved complaint again: same owner, fresh promises.

    When that owner no longer works here, it goes to the first active supervisor (never to nobody),
    with an event, and the customer hears the new name.
    """
    now = now or utcnow()
    if not can_reopen(complaint, now):
        raise WorkError(_l("This can no longer be opened again. Send us a new complaint."))
    complaint.status, complaint.resolved_at = Status.IN_PROGRESS, None
    complaint.closed_at = complaint.closes_at = complaint.close_reason = None
    complaint.attention_at = now
    for step in timelines.REOPEN_STEPS:
        timelines.add_promise(complaint, step, now, calendar)
    record_event(complaint, "reopened", reason=reason.strip())
    customer_message(complaint, reason.strip(), now)
    previous = complaint.owner
    if previous is None or not previous.active:
        successor = first_active_supervisor()
        if successor is not None:
            complaint.owner = successor
            record_event(complaint, "handed_over", actor="system", name=successor.name, by="",
                         previous=previous.name if previous else "", variant="reassigned")
            db.session.flush()
            _tell_new_owner(complaint, successor)
    db.session.flush()


def first_active_supervisor() -> User | None:
    """Who takes over work of someone who left: the active supervisor (or admin) with the lowest id."""
    return db.session.scalar(
        select(User).where(User.active.is_(True), User.role.in_((Role.SUPERVISOR, Role.ADMIN)))
        .order_by((User.role != Role.SUPERVISOR), User.id).limit(1))
