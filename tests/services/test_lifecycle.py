"""A complaint's whole life to the end: waiting on the customer pauses our promises, an accepted offer is
carried out by its own promise, and closing is told in advance (charter rights 3, 6 and 10)."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Event, OutboxMail
from portal.services import complaints as service
from portal.services import lifecycle, mandate, timelines, work
from portal.services.complaints import mark_missed_promises
from portal.services.errors import DomainError
from portal.services.organisation import get_calendar
from portal.services.secrets import new_draft_key
from tests.fixtures.people import person

AMSTERDAM_WINTER = timedelta(hours=1)


def local(year, month, day, hour, minute=0) -> datetime:
    """A moment on the organisation's clock (Amsterdam, winter time), as UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=timezone.utc) - AMSTERDAM_WINTER


def mails(kind: str) -> list[OutboxMail]:
    return db.session.scalars(select(OutboxMail).where(OutboxMail.kind == kind).order_by(OutboxMail.id)).all()


def events(kind: str) -> list[Event]:
    return db.session.scalars(select(Event).where(Event.kind == kind)).all()


@pytest.fixture
def agent(app):
    return person("agent")


@pytest.fixture
def owned(create_complaint, agent):
    """A complaint the demo agent claimed, filed on Monday 14 December 2026 at 10:00."""
    def make(now=None, **answers):
        now = now or local(2026, 12, 14, 10)
        complaint, _token = create_complaint(now=now, **answers)
        work.claim(complaint, agent, now=now)
        db.session.commit()
        return complaint
    return make


def offer(complaint, agent, now, remedy="refund", amount_cents=2500, text="We pay you back the 25 euros."):
    return mandate.make_offer(complaint, agent, remedy=remedy, amount_cents=amount_cents, text=text,
                              request_key=new_draft_key(), seen_counter=complaint.offer_counter,
                              calendar=get_calendar(), now=now)


def promise(complaint, key):
    return next(p for p in reversed(complaint.promises) if p.key == key)


# --- waiting on the customer pauses our promises ---------------------------------------------------

def test_while_an_offer_waits_for_the_customer_no_promise_is_missed_and_no_apology_goes_out(owned, agent):
    complaint = owned()
    resolved = promise(complaint, "resolved")
    offer(complaint, agent, local(2026, 12, 15, 10))
    assert complaint.waiting_since == local(2026, 12, 15, 10) and complaint.waiting_for == "offer"
    # The "what we agreed is done" date passes while the customer thinks about our offer.
    assert mark_missed_promises(resolved.due_at + timedelta(days=1)) == 0
    db.session.commit()
    assert resolved.state == "open" and mails("missed") == []
    # The queue sorts it on the end of the wait, not on a promise that cannot be missed.
    assert complaint.next_due_at == complaint.wait_ends_at


def test_answering_moves_each_paused_promise_on_by_the_working_time_waited_over_christmas(owned, agent):
    # Waiting from Thursday 24 December 10:00 to Tuesday 29 December 10:00: Christmas (Friday and
    # Saturday) and the weekend are not working time. Thursday 10-17 (7 h), Monday (8 h), Tuesday 9-10
    # (1 h): 16 working hours, two working days.
    complaint = owned(now=local(2026, 12, 21, 10))
    resolved = promise(complaint, "resolved")
    before = resolved.due_at
    made = offer(complaint, agent, local(2026, 12, 24, 10))
    db.session.commit()
    mandate.decline(complaint, made, "Too little for a ruined book.", get_calendar(), now=local(2026, 12, 29, 10))
    db.session.commit()
    waited = get_calendar().working_time_between(local(2026, 12, 24, 10), local(2026, 12, 29, 10))
    assert waited == timedelta(hours=16)
    assert resolved.due_before_wait == before
    assert resolved.due_at == get_calendar().add_working_hours(before, 16)
    assert complaint.waiting_since is None and complaint.wait_ends_at is None
    [ended] = events("wait_ended")
    assert ended.data["moved"] >= 1
    # The customer reads it as one entry, moved because we waited for their answer.
    entry = next(e for e in timelines.customer_timeline(complaint) if e.promise is resolved)
    assert [(m.from_due, m.to_due, m.reason) for m in entry.moves] == [(before, resolved.due_at, None)]


def test_an_answer_outside_working_time_moves_nothing(owned, agent):
    complaint = owned()
    resolved = promise(complaint, "resolved")
    before = resolved.due_at
    # Asked on Friday at 17:30, answered on Saturday: no working time passed.
    work.reply(complaint, agent, "Which book was it?", now=local(2026, 12, 18, 17, 30), asks_question=True)
    db.session.commit()
    assert lifecycle.end_wait(complaint, local(2026, 12, 19, 11)) == 0
    assert resolved.due_at == before and resolved.due_before_wait is None and events("wait_ended") == []
    assert complaint.waiting_since is None


def test_a_question_waits_and_the_mail_says_until_when(owned, agent):
    complaint = owned()
    work.reply(complaint, agent, "Was the box wet on the outside too?", now=local(2026, 12, 15, 10),
               asks_question=True)
    db.session.commit()
    assert complaint.waiting_for == "question"
    # 10 working days from Tuesday 15 December: Christmas and New Year's Day are skipped.
    assert complaint.wait_ends_at == get_calendar().add(local(2026, 12, 15, 10), 10, "working_days")
    [reply] = mails("reply")
    assert "We wachten op uw antwoord tot" in reply.body_text


# --- one reminder, then closed with the reason -------------------------------------------------------

def test_an_unanswered_wait_gets_one_reminder_and_then_closes_with_the_reason(owned, agent):
    complaint = owned()
    made = offer(complaint, agent, local(2026, 12, 14, 11))
    db.session.commit()
    remind_at, ends_at = complaint.wait_remind_at, complaint.wait_ends_at
    assert remind_at < ends_at
    assert lifecycle.remind_waiting(remind_at - timedelta(minutes=1)) == 0
    assert lifecycle.remind_waiting(remind_at) == 1
    assert lifecycle.remind_waiting(remind_at + timedelta(days=1)) == 0, "one reminder, never two"
    db.session.commit()
    [reminder] = mails("wait_reminder")
    assert "We deden u een voorstel" in reminder.body_text and complaint.reference in reminder.subject
    assert lifecycle.close_unanswered(ends_at - timedelta(minutes=1)) == 0
    assert lifecycle.close_unanswered(ends_at) == 1
    db.session.commit()
    assert complaint.status == "closed" and "niets van u gehoord" in complaint.close_reason
    assert made.state == "ended", "the offer can no longer be accepted"
    assert {p.state for p in complaint.promises} <= {"kept", "ended"}
    [closed] = mails("closed")
    assert complaint.close_reason in closed.body_text
    with pytest.raises(DomainError):
        mandate.accept(complaint, made)


def test_an_answer_just_before_the_close_wins_and_the_tick_then_closes_nothing(owned, agent):
    complaint = owned()
    made = offer(complaint, agent, local(2026, 12, 14, 11))
    db.session.commit()
    ends_at = complaint.wait_ends_at
    mandate.accept(complaint, made, now=ends_at - timedelta(minutes=1))
    db.session.commit()
    assert lifecycle.close_unanswered(ends_at) == 0
    assert complaint.status == "agreed"


# --- an accepted offer is carried out, with its own promise ----------------------------------------

def test_accepting_adds_the_carry_out_promise_and_only_marking_it_done_resolves(owned, agent):
    complaint = owned()
    made = offer(complaint, agent, local(2026, 12, 14, 11))
    accepted_at = local(2026, 12, 15, 10)
    mandate.accept(complaint, made, now=accepted_at)
    db.session.commit()
    assert complaint.status == "agreed" and complaint.resolved_at is None
    carry_out = promise(complaint, "resolved")
    assert carry_out.label_nl == "We hebben het geld aan u teruggestort" and carry_out.state == "open"
    assert carry_out.due_at == get_calendar().add(accepted_at, 5, "working_days")
    first = carry_out.replaces
    assert first is not None and first.state == "moved", "one entry: the first date folds into it"

    with pytest.raises(lifecycle.LifeError, match="betalingskenmerk"):
        lifecycle.mark_carried_out(complaint, made, agent, "")
    done_at = local(2026, 12, 17, 15)
    lifecycle.mark_carried_out(complaint, made, agent, "NL-PAY-4411", now=done_at)
    db.session.commit()
    assert made.state == "carried_out" and made.carried_out_note == "NL-PAY-4411"
    assert carry_out.state == "kept" and complaint.status == "resolved"
    assert complaint.closes_at == get_calendar().add(done_at, 10, "working_days")
    [mail] = mails("resolved")
    assert "NL-PAY-4411" in mail.body_text and "sluiten we het af" in mail.body_text
    with pytest.raises(lifecycle.LifeError):
        lifecycle.mark_carried_out(complaint, made, agent, "NL-PAY-4411")


def test_an_apology_has_nothing_left_to_do_after_yes(owned, agent):
    complaint = owned()
    made = offer(complaint, agent, local(2026, 12, 14, 11), remedy="apology", amount_cents=0,
                 text="We are sorry: the driver should have rung the bell.")
    mandate.accept(complaint, made, now=local(2026, 12, 15, 10))
    db.session.commit()
    assert complaint.status == "resolved" and made.state == "carried_out"
    assert promise(complaint, "resolved").state == "kept"


def test_only_the_owner_marks_it_done(owned, agent, create_user):
    complaint = owned()
    made = offer(complaint, agent, local(2026, 12, 14, 11))
    mandate.accept(complaint, made, now=local(2026, 12, 15, 10))
    with pytest.raises(lifecycle.LifeError):
        lifecycle.mark_carried_out(complaint, made, create_user(), "NL-PAY-1")


# --- resolved: closing told in advance ---------------------------------------------------------------

def test_a_resolved_complaint_closes_on_the_announced_day_and_can_still_be_opened_again(owned, agent):
    complaint = owned()
    work.reply(complaint, agent, "I hear you, and I passed it on to the drivers.", now=local(2026, 12, 14, 12),
               resolves=True)
    db.session.commit()
    assert complaint.status == "resolved"
    closes = complaint.closes_at
    assert lifecycle.close_resolved(closes - timedelta(minutes=1)) == 0
    assert lifecycle.close_resolved(closes) == 1
    db.session.commit()
    assert complaint.status == "closed" and complaint.close_reason is None
    assert work.can_reopen(complaint, closes + timedelta(days=1)), "the 30 days still hold"
    work.reopen(complaint, "It happened again.", get_calendar(), now=closes + timedelta(days=1))
    assert complaint.status == "in_progress" and complaint.closed_at is None


def test_a_message_after_resolved_stops_the_closing_until_the_owner_answers(owned, agent):
    complaint = owned()
    work.reply(complaint, agent, "I hear you.", now=local(2026, 12, 14, 12), resolves=True)
    db.session.commit()
    service.add_customer_message(complaint, "One more thing: the box was open.")
    db.session.commit()
    assert complaint.closes_at is None
    assert lifecycle.close_resolved(local(2027, 3, 1, 10)) == 0
    work.reply(complaint, agent, "Thank you, I passed that on too.")
    assert complaint.closes_at is not None


def test_resolving_ends_every_open_question_and_promise(owned, agent):
    complaint = owned()
    service.ask_for_manager(complaint, "", get_calendar(), now=local(2026, 12, 14, 11))
    made = offer(complaint, agent, local(2026, 12, 14, 12))
    mandate.accept(complaint, made, now=local(2026, 12, 15, 10))
    lifecycle.mark_carried_out(complaint, made, agent, "NL-PAY-2", now=local(2026, 12, 16, 10))
    db.session.commit()
    assert promise(complaint, "manager").state == "ended"
    assert not [p for p in complaint.promises if p.state in ("open", "proposed")]


def test_a_proposed_new_date_ends_with_the_complaint_and_can_no_longer_be_answered(owned, agent):
    complaint = owned()
    calendar = get_calendar()
    proposal = promise(complaint, "proposal")
    moved = work.extend_promise(proposal, agent, calendar.local_date(proposal.due_at) + timedelta(days=7),
                                "The warehouse checks your parcel.", calendar, now=local(2026, 12, 14, 11))
    asked = work.extend_promise(moved, agent, calendar.local_date(moved.due_at) + timedelta(days=7),
                                "The carrier answers us on Monday.", calendar, now=local(2026, 12, 14, 12))
    assert asked.state == "proposed" and complaint.waiting_for == "new_date"
    work.reply(complaint, agent, "I talked to the carrier and this is fixed.", now=local(2026, 12, 14, 13))
    lifecycle.close_by_owner(complaint, agent, "You told me on the phone that this is solved.", True,
                             now=local(2026, 12, 14, 14))
    assert asked.state == "ended"
    with pytest.raises(DomainError):
        work.answer_new_date(asked, True)
    assert not [p for p in complaint.promises if p.state == "open"]


# --- the owner closes, with the customer's agreement ---------------------------------------------------

def test_the_owner_closes_only_with_the_customers_agreement_and_a_firm_reason(owned, agent, create_user):
    complaint = owned()
    with pytest.raises(lifecycle.LifeError) as refused:
        lifecycle.close_by_owner(complaint, agent, "You agreed on the phone.", customer_agreed=False)
    assert refused.value.field == "customer_agreed"
    with pytest.raises(lifecycle.LifeError, match="in principe"):
        lifecycle.close_by_owner(complaint, agent, "Dit is in principe opgelost.", customer_agreed=True)
    with pytest.raises(lifecycle.LifeError):
        lifecycle.close_by_owner(complaint, create_user(), "You agreed on the phone.", customer_agreed=True)
    lifecycle.close_by_owner(complaint, agent, "U zei aan de telefoon dat het is opgelost.", customer_agreed=True)
    db.session.commit()
    assert complaint.status == "closed" and complaint.close_reason == "U zei aan de telefoon dat het is opgelost."
    [mail] = mails("closed")
    assert complaint.close_reason in mail.body_text
    with pytest.raises(lifecycle.LifeError, match="al afgesloten"):
        lifecycle.close_by_owner(complaint, agent, "Twice.", customer_agreed=True)


# --- compliments and ideas --------------------------------------------------------------------------

def test_our_answer_closes_a_compliment_and_the_customers_answer_opens_it_again(create_complaint, agent):
    complaint, _token = create_complaint(kind="compliment", story="Mo at the desk was very kind to me.")
    work.claim(complaint, agent)
    work.reply(complaint, agent, "Thank you! I told Mo, and he was very happy.")
    db.session.commit()
    assert complaint.status == "closed" and promise(complaint, "passed_on").state == "kept"
    service.add_customer_message(complaint, "You are welcome!")
    db.session.commit()
    assert complaint.status == "in_progress"
    work.reply(complaint, agent, "Thank you again.")
    assert complaint.status == "closed"


def test_a_closed_complaint_takes_no_message(owned, agent):
    complaint = owned()
    lifecycle.close_by_owner(complaint, agent, "U zei aan de telefoon dat het is opgelost.", customer_agreed=True)
    with pytest.raises(service.NotAllowed):
        service.add_customer_message(complaint, "Hello?")


# --- the lint on what the customer reads --------------------------------------------------------------

def test_an_offer_or_a_new_date_with_a_hedge_word_is_refused(owned, agent):
    complaint = owned()
    with pytest.raises(mandate.MandateError, match="in principe") as refused:
        offer(complaint, agent, local(2026, 12, 14, 11), text="Dat duurt in principe een week.")
    assert refused.value.field == "text"
    proposal = promise(complaint, "proposal")
    with pytest.raises(work.WorkError, match="normaal gesproken"):
        work.extend_promise(proposal, agent, get_calendar().local_date(proposal.due_at) + timedelta(days=7),
                            "Dat is normaal gesproken klaar.", get_calendar())
