"""Every colleague an ambassador (seed 000): what a colleague heard is passed on in a minute; only
what needs solving, with the customer's consent, becomes a complaint the customer hears of."""
import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Complaint, OutboxMail, Promise, StatusLink
from portal.services import ambassador, insight, outbox
from portal.services.insight import Period
from portal.services.organisation import get_calendar
from portal.states import Channel, Kind, Status
from tests.fixtures.people import create_user, person  # noqa: F401


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_listening_that_was_enough_is_counted_without_promises_mail_or_contact_details(app):
    colleague = person("colleague")
    passed = ambassador.pass_on(colleague, words="Mijn internet valt steeds weg, zo vervelend.", where="party",
                                outcome="listened", may_contact=False, name="Fatima", email="fatima@example.com")
    db.session.commit()
    complaint = passed.complaint
    assert not passed.filed and complaint.channel == Channel.AMBASSADOR and complaint.kind == Kind.COMPLAINT
    assert complaint.handled_as == "listen" and complaint.status == Status.CLOSED
    assert complaint.name == "" and complaint.email == "", "no consent: what was typed is not kept"
    assert count(Promise, Promise.complaint_id == complaint.id) == 0
    assert count(OutboxMail) == 0 and count(StatusLink) == 0
    today = get_calendar().local_date(complaint.created_at)
    found = insight.signals(Period(today, today))
    assert found.by_channel["ambassador"] == 1 and found.handled_as["listen"] == 1


def test_what_needs_solving_with_consent_is_filed_as_the_customer_would_and_names_the_colleague(app):
    colleague = person("colleague")
    passed = ambassador.pass_on(colleague, words="De monteur kwam twee keer niet opdagen.", where="shop",
                                outcome="solve", may_contact=True, name="Fatima el Amrani",
                                email="fatima@example.com", language="nl")
    db.session.commit()
    complaint = passed.complaint
    assert passed.filed and complaint.status == Status.RECEIVED and complaint.passed_on_by_id == colleague.id
    assert complaint.heard_where == "shop" and complaint.channel == Channel.AMBASSADOR
    assert count(Promise, Promise.complaint_id == complaint.id) > 0, "the same dated timeline as on the web"
    outbox.write_waiting()
    db.session.commit()
    [mail] = db.session.scalars(select(OutboxMail)).all()
    assert mail.recipient == "fatima@example.com" and "Pim heard your story" not in mail.body_text
    assert "Pim heeft uw verhaal gehoord en aan ons doorgegeven." in mail.body_text


def test_needs_solving_without_consent_waits_in_the_queue_and_a_reply_mails_nobody(app):
    from portal.services import work

    passed = ambassador.pass_on(person("colleague"), words="Het bord bij de ingang is onleesbaar.", where="street",
                                outcome="solve")
    agent = person("agent")
    work.claim(passed.complaint, agent)
    work.reply(passed.complaint, agent, "Wij hebben het bord vervangen.")
    db.session.commit()
    assert passed.complaint.status != Status.CLOSED and count(OutboxMail) == 0


def test_every_problem_is_named_and_the_same_form_twice_passes_it_on_once(app):
    colleague = person("colleague")
    with pytest.raises(ambassador.AmbassadorError) as refused:
        ambassador.pass_on(colleague, words="kort", where="moon", outcome="shout", may_contact=True)
    assert {field for field, _m in refused.value.problems} == {"words", "where", "outcome"}
    with pytest.raises(ambassador.AmbassadorError) as refused:
        ambassador.pass_on(colleague, words="Het pakket kwam nooit aan.", where="online", outcome="solve",
                           may_contact=True, name="", email="fatima@")
    assert {field for field, _m in refused.value.problems} == {"name", "email"}
    first = ambassador.pass_on(colleague, words="Het pakket kwam nooit aan.", where="online", outcome="idea",
                               submission_key="k" * 32)
    again = ambassador.pass_on(colleague, words="Het pakket kwam nooit aan.", where="online", outcome="idea",
                               submission_key="k" * 32)
    assert first.complaint.id == again.complaint.id and count(Complaint) == 1


def test_my_signals_counts_what_became_of_each_and_shows_nobody_elses(app, create_user):
    colleague, other = person("colleague"), create_user(role="colleague", name="Noor")
    for outcome in ("listened", "listened", "solve", "compliment"):
        ambassador.pass_on(colleague, words="Wat ik hoorde op het feest.", where="party", outcome=outcome)
    ambassador.pass_on(other, words="Iets anders, van iemand anders.", where="shop", outcome="idea")
    db.session.commit()
    mine = ambassador.my_signals(colleague)
    assert mine.total == 4 and (mine.counts["listened"], mine.counts["open"], mine.counts["compliment"]) == (2, 1, 1)
    assert all(s.complaint.passed_on_by_id == colleague.id for s in mine.signals)
