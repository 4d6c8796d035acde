"""Owning a complaint to the end: moving dates honestly, taking over, and never falling to nobody."""
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.fixtures.complaints import working_day_after
from portal.extensions import db
from portal.models import Complaint, Event, OutboxMail, utcnow
from portal.services import complaints as service
from portal.services import mandate, work
from portal.services.complaints import mark_missed_promises
from portal.services.organisation import get_calendar
from portal.services.secrets import new_draft_key
from tests.fixtures.people import person


@pytest.fixture
def owned(create_complaint):
    complaint, _token = create_complaint()
    work.claim(complaint, person("agent"))
    db.session.commit()
    return complaint


def step(complaint, key):
    return [p for p in complaint.promises if p.key == key]


def test_a_missed_promise_moved_once_cannot_be_moved_again_and_the_next_move_asks_the_customer(owned):
    agent = person("agent")
    proposal = step(owned, "proposal")[0]
    mark_missed_promises(proposal.due_at + timedelta(minutes=1))
    assert proposal.state == "missed"
    moved = work.extend_promise(proposal, agent, working_day_after(proposal.due_at, 7), "The carrier is late.",
                                now=proposal.due_at + timedelta(hours=1))
    assert (proposal.state, moved.state) == ("missed", "open"), "what happened stays visible"
    assert not work.can_move(proposal) and work.can_move(moved)
    with pytest.raises(work.WorkError):
        work.extend_promise(proposal, agent, working_day_after(proposal.due_at, 9), "Again.",
                            now=proposal.due_at + timedelta(hours=2))
    asked = work.extend_promise(moved, agent, working_day_after(moved.due_at, 7), "We wait for the carrier.",
                                now=proposal.due_at + timedelta(hours=2))
    assert asked.state == "proposed", "the second move needs the customer's yes"
    assert [p.state for p in step(owned, "proposal")] == ["missed", "open", "proposed"]
    assert sum(p.state == "open" for p in step(owned, "proposal")) == 1, "one open promise per step"


def test_a_promise_waiting_for_the_customers_answer_cannot_be_moved_around_it(owned):
    agent = person("agent")
    first = step(owned, "resolved")[0]
    moved = work.extend_promise(first, agent, working_day_after(first.due_at, 3), "A part is on its way.")
    work.extend_promise(moved, agent, working_day_after(moved.due_at, 3), "The part was lost.")
    with pytest.raises(work.WorkError):
        work.extend_promise(moved, agent, working_day_after(moved.due_at, 9), "Another try.")
    assert work.times_moved(moved) == 2


def test_a_supervisor_takes_over_an_escalated_complaint_and_their_reply_keeps_the_manager_promise(owned):
    agent, supervisor = person("agent"), person("supervisor")
    service.ask_for_manager(owned, "Nobody listens.", get_calendar())
    with pytest.raises(work.WorkError):
        work.reply(owned, supervisor, "Dear Fatima, I looked at it.")
    work.hand_over(owned, supervisor, supervisor, "I handle this escalation myself.")
    assert owned.owner_id == supervisor.id
    event = owned.events[-1]
    assert (event.kind, event.user_id, event.data["name"], event.data["previous"]) == \
        ("handed_over", supervisor.id, "Ahmed Bakker", "Sanne de Vries")
    assert event.customer_visible, "the customer sees the new name in the history"
    mail = db.session.scalar(select(OutboxMail).where(OutboxMail.kind == "handed_over"))
    assert "Ahmed Bakker" in mail.body_text
    work.reply(owned, supervisor, "Dear Fatima, I looked at it with fresh eyes.")
    assert step(owned, "manager")[0].state == "kept"
    with pytest.raises(work.WorkError):
        work.hand_over(owned, agent, agent, "Back to me.")  # an agent who no longer owns it cannot
    assert owned.owner_id == supervisor.id


def test_a_manager_answers_a_request_for_a_manager_without_taking_the_complaint_over(owned):
    agent, supervisor = person("agent"), person("supervisor")
    service.ask_for_manager(owned, "Nobody listens.", get_calendar())
    db.session.commit()
    assert work.manager_answer_waits(owned)
    with pytest.raises(work.WorkError):
        work.answer_as_manager(owned, agent, "I am not a manager.")  # an agent cannot answer as one
    with pytest.raises(work.WorkError):
        work.answer_as_manager(owned, supervisor, "   ")
    message = work.answer_as_manager(owned, supervisor, "Dear Fatima, I read it all. Sanne refunds you today.")
    db.session.commit()
    assert owned.owner_id == agent.id, "the owner keeps it"
    assert step(owned, "manager")[0].state == "kept" and not work.manager_answer_waits(owned)
    assert message in owned.messages and message.user_id == supervisor.id
    assert owned.attention_at is not None, "the owner is shown what the manager wrote"
    mail = db.session.scalars(select(OutboxMail).where(OutboxMail.kind == "reply")).all()[-1]
    assert "Sanne refunds you today" in mail.body_text and "Ahmed Bakker" in mail.body_text
    assert owned.events[-1].kind == "manager_answered"
    # A second answer (a colleague who had the page open) is refused: one answer per request.
    with pytest.raises(work.WorkError, match="al beantwoord"):
        work.answer_as_manager(owned, person("admin"), "Me too.")
    assert len([m for m in owned.messages if m.author == "agent"]) == 1


def test_a_second_supervisor_sending_at_the_same_moment_is_told_not_doubled(owned, app):
    supervisor = person("supervisor")
    service.ask_for_manager(owned, "", get_calendar())
    db.session.commit()
    # The other supervisor's answer landed between this page's load and its send.
    db.session.execute(update(Complaint).where(Complaint.id == owned.id).values(escalation_answered_at=utcnow()))
    with pytest.raises(work.WorkError, match="al beantwoord"):
        work.answer_as_manager(owned, supervisor, "Dear Fatima, I looked at it.")


def resolve(complaint, agent):
    offer = mandate.make_offer(complaint, agent, remedy="apology", amount_cents=0, text="We are sorry.",
                          request_key=new_draft_key(), seen_counter=complaint.offer_counter,
                          calendar=get_calendar())
    mandate.accept(complaint, offer)


def test_a_reopen_for_an_owner_who_left_goes_to_an_active_supervisor_never_to_nobody(owned):
    agent, supervisor = person("agent"), person("supervisor")
    resolve(owned, agent)
    agent.active = False
    db.session.commit()
    work.reopen(owned, "It broke again.", get_calendar())
    db.session.commit()
    assert owned.owner_id == supervisor.id and owned.status == "in_progress"
    event = db.session.scalar(select(Event).where(Event.kind == "handed_over"))
    assert (event.actor, event.data["variant"], event.data["previous"]) == ("system", "reassigned", "Sanne de Vries")
    mail = db.session.scalar(select(OutboxMail).where(OutboxMail.kind == "handed_over"))
    assert "Ahmed Bakker" in mail.body_text and mail.recipient == owned.email


def test_a_reopen_stays_with_the_owner_who_still_works_here(owned):
    agent = person("agent")
    resolve(owned, agent)
    work.reopen(owned, "It broke again.", get_calendar(), now=utcnow())
    assert owned.owner_id == agent.id
    assert db.session.scalar(select(Event).where(Event.kind == "handed_over")) is None
