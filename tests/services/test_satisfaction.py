"""Did we put it right? The questions after a complaint ended: asked once, never pushed, counted honestly
(seed text 004; charter right 10)."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select

from portal.extensions import db
from portal.models import Category, Complaint, Event, OutboxMail, StaffNotice, SurveyAnswer
from portal.services import lifecycle, notices, privacy, satisfaction, work
from portal.services.organisation import _forget_cached_organisation, get_organisation
from tests.fixtures.people import person

from .test_lifecycle import local, offer

RESOLVED_AT = local(2026, 12, 14, 12)


def mails(kind):
    return db.session.scalars(select(OutboxMail).where(OutboxMail.kind == kind).order_by(OutboxMail.id)).all()


@pytest.fixture
def agent(app):
    return person("agent")


@pytest.fixture
def solved(create_complaint, agent):
    """A complaint the demo agent claimed and solved with an answer, on Monday 14 December 2026."""
    def make(now=RESOLVED_AT, **answers):
        complaint, token = create_complaint(now=now - timedelta(hours=2), **answers)
        work.claim(complaint, agent, now=now - timedelta(hours=1))
        work.reply(complaint, agent, "I hear you, and I passed it on to the drivers.", now=now, resolves=True)
        db.session.commit()
        return complaint, token
    return make


def settings(**values):
    organisation = get_organisation()
    for name, value in values.items():
        setattr(organisation, name, value)
    db.session.commit()
    _forget_cached_organisation()


# --- whom we ask, and how often -------------------------------------------------------------------

def test_the_resolution_mail_asks_once_with_links_that_only_preselect(solved):
    complaint, _token = solved()
    assert complaint.survey_asked_at == RESOLVED_AT
    [mail] = mails("resolved")
    assert "drie korte vragen" in mail.body_text, "the sentence that asks, in the customer's language"
    assert "/feedback?solved=yes" in mail.body_text and "/feedback?solved=no" in mail.body_text
    assert "Niets wordt opgeslagen" in mail.body_text, "the mail says a click saves nothing"
    assert complaint.survey_remind_at is None, "the resolution mail is the asking: no reminder"
    assert satisfaction.ask_after_close(RESOLVED_AT + timedelta(days=30)) == 0


def test_compliments_withdrawals_and_erasure_requests_are_not_asked(create_complaint, agent, solved):
    compliment, _ = create_complaint(kind="compliment", story="Mo at the desk was very kind to me.")
    work.claim(compliment, agent)
    work.reply(compliment, agent, "Thank you! I told Mo.")
    db.session.commit()
    assert compliment.status == "closed" and compliment.survey_asked_at is None
    assert not satisfaction.can_answer(compliment)

    withdrawn, _ = create_complaint(email="gone@example.com")
    from portal.services import complaints as complaint_service

    complaint_service.withdraw(withdrawn)
    db.session.commit()
    assert not satisfaction.may_ask(withdrawn), "a customer who withdrew is not asked"

    complaint, _ = create_complaint(email="erase.me@example.com", now=RESOLVED_AT - timedelta(hours=2))
    privacy.request_erasure(complaint)
    work.claim(complaint, agent, now=RESOLVED_AT - timedelta(hours=1))
    work.reply(complaint, agent, "I hear you.", now=RESOLVED_AT, resolves=True)
    db.session.commit()
    assert complaint.status == "resolved" and complaint.survey_asked_at is None
    assert "/feedback" not in mails("resolved")[-1].body_text


def test_an_address_is_asked_at_most_once_in_the_quiet_days(solved):
    first, _ = solved(email="Fatima@Example.com")
    second, _ = solved(now=RESOLVED_AT + timedelta(days=29), email="fatima@example.com")
    assert first.survey_asked_at is not None
    assert second.survey_asked_at is None, "29 days later, across complaints, any case of the address"
    assert "/feedback" not in mails("resolved")[-1].body_text
    third, _ = solved(now=RESOLVED_AT + timedelta(days=31), email="fatima@example.com")
    assert third.survey_asked_at is not None, "after the 30 days we may ask again"
    settings(survey_quiet_days=60)
    fourth, _ = solved(now=RESOLVED_AT + timedelta(days=80), email="fatima@example.com")
    assert fourth.survey_asked_at is None, "the admin's 60 days"


def test_an_admin_can_turn_the_questions_off(solved):
    settings(surveys_on=False)
    complaint, _ = solved()
    assert complaint.survey_asked_at is None and "/feedback" not in mails("resolved")[0].body_text


def test_a_close_without_a_resolution_mail_gets_one_mail_and_at_most_one_reminder(owned_by_agent, agent):
    complaint = owned_by_agent()
    closed_at = complaint.closed_at
    assert satisfaction.ask_after_close(closed_at + timedelta(hours=23)) == 0, "the closing mail is read first"
    assert satisfaction.ask_after_close(closed_at + timedelta(days=1)) == 1
    assert satisfaction.ask_after_close(closed_at + timedelta(days=2)) == 0, "one mail"
    db.session.commit()
    [mail] = mails("survey")
    assert complaint.reference in mail.subject and "/feedback?solved=partly" in mail.body_text
    assert satisfaction.remind(closed_at + timedelta(days=7)) == 0
    assert satisfaction.remind(closed_at + timedelta(days=8)) == 1
    assert satisfaction.remind(closed_at + timedelta(days=30)) == 0, "never more than one reminder"
    db.session.commit()
    assert len(mails("survey")) == 2 and "nog één keer" in mails("survey")[1].body_text


def test_an_answer_before_the_reminder_stops_it(owned_by_agent):
    complaint = owned_by_agent()
    satisfaction.ask_after_close(complaint.closed_at + timedelta(days=1))
    satisfaction.record_answer(complaint, "yes", 5, "yes", now=complaint.closed_at + timedelta(days=2))
    db.session.commit()
    assert satisfaction.remind(complaint.closed_at + timedelta(days=9)) == 0
    assert len(mails("survey")) == 1


def test_a_complaint_closed_long_ago_is_not_asked_when_surveys_are_turned_on(owned_by_agent):
    complaint = owned_by_agent()
    assert satisfaction.ask_after_close(complaint.closed_at + timedelta(days=9)) == 0
    assert complaint.survey_asked_at is None


@pytest.fixture
def owned_by_agent(create_complaint, agent):
    """A complaint the owner closed, as agreed with the customer (no resolution mail)."""
    def make(**answers):
        complaint, _token = create_complaint(**answers)
        work.claim(complaint, agent)
        lifecycle.close_by_owner(complaint, agent, "U zei aan de telefoon dat het goed is zo.", customer_agreed=True)
        db.session.commit()
        return complaint
    return make


# --- the answer ---------------------------------------------------------------------------------

def test_one_answer_that_can_be_changed_for_a_week(solved):
    complaint, _ = solved()
    answered = RESOLVED_AT + timedelta(days=1)
    satisfaction.record_answer(complaint, "yes", "4", "maybe", "  Fine.  ", now=answered)
    db.session.commit()
    answer = complaint.survey_answer
    assert (answer.solved, answer.treatment, answer.come_back, answer.comment) == ("yes", 4, "maybe", "Fine.")
    satisfaction.record_answer(complaint, "yes", 5, "yes", now=answered + timedelta(days=6))
    db.session.commit()
    assert db.session.scalar(select(SurveyAnswer.treatment)) == 5 and complaint.survey_answer.changed_at
    with pytest.raises(satisfaction.SurveyError, match="can no longer be changed|niet meer veranderen"):
        satisfaction.record_answer(complaint, "no", 1, "no", now=answered + timedelta(days=8))
    kinds = [event.kind for event in complaint.events]
    assert kinds.count("survey_answered") == 1 and kinds.count("survey_changed") == 1


@pytest.mark.parametrize("is_solved, treatment, come_back, comment, field", [
    ("perhaps", 3, "yes", None, "solved"),
    ("yes", 6, "yes", None, "treatment"),
    ("yes", "0", "yes", None, "treatment"),
    ("yes", "very", "yes", None, "treatment"),
    ("yes", 3, "always", None, "come_back"),
    ("yes", 3, "yes", "x" * 2001, "comment"),
])
def test_an_answer_out_of_the_choices_is_refused_by_field(is_solved, treatment, come_back, comment, field,
                                                          solved_one):
    with pytest.raises(satisfaction.SurveyError) as refused:
        satisfaction.record_answer(solved_one, is_solved, treatment, come_back, comment)
    assert refused.value.field == field
    assert db.session.scalar(select(SurveyAnswer.id)) is None


@pytest.fixture
def solved_one(solved):
    return solved()[0]


def test_not_solved_flags_the_owner_and_they_are_told(solved, agent):
    complaint, _ = solved()
    assert complaint.attention_at is None
    notices.collect(RESOLVED_AT)  # what happened before the answer
    satisfaction.record_answer(complaint, "partly", 2, "maybe", "The book is still wet.",
                               now=RESOLVED_AT + timedelta(days=1))
    db.session.commit()
    assert complaint.attention_at is not None, "on the owner's 'needs me' list"
    assert notices.collect(RESOLVED_AT + timedelta(days=1)) == 1
    [notice] = db.session.scalars(select(StaffNotice)).all()
    assert notice.user_id == agent.id and notice.kind == "customer_message"


def test_a_happy_answer_flags_nobody(solved):
    complaint, _ = solved()
    satisfaction.record_answer(complaint, "yes", 5, "yes", now=RESOLVED_AT + timedelta(days=1))
    db.session.commit()
    assert complaint.attention_at is None


def test_two_tabs_sending_at_once_make_one_answer(solved):
    complaint, _ = solved()
    assert complaint.survey_answer is None  # this tab read the page before the other tab sent
    db.session.commit()
    assert complaint.survey_answer is None
    with db.engine.begin() as other_tab:
        other_tab.execute(insert(SurveyAnswer).values(complaint_id=complaint.id, solved="no", treatment=1,
                                                      come_back="no", answered_at=datetime.now(timezone.utc)))
    satisfaction.record_answer(complaint, "yes", 4, "yes")
    db.session.commit()
    [answer] = db.session.scalars(select(SurveyAnswer)).all()
    assert (answer.solved, answer.treatment) == ("yes", 4) and answer.changed_at is not None


def test_reopened_or_open_complaints_take_no_answer(solved, agent):
    complaint, _ = solved()
    work.reopen(complaint, "It happened again.", lifecycle.get_calendar(), now=RESOLVED_AT + timedelta(days=1))
    db.session.commit()
    with pytest.raises(satisfaction.SurveyError):
        satisfaction.record_answer(complaint, "no", 1, "no")
    work.reply(complaint, agent, "I am sorry. The driver now rings the bell.", resolves=True)
    db.session.commit()
    assert complaint.status == "resolved" and complaint.survey_asked_at == RESOLVED_AT, "asked once per complaint"
    assert len([m for m in mails("resolved") if "/feedback" in m.body_text]) == 1
    satisfaction.record_answer(complaint, "yes", 5, "yes")  # the first asking still holds


def test_erasure_removes_their_words_and_keeps_the_answers_for_the_figures(solved):
    complaint, _ = solved()
    satisfaction.record_answer(complaint, "no", 2, "no", "Call me on 06 12345678, Fatima.",
                               now=RESOLVED_AT + timedelta(days=1))
    db.session.commit()
    privacy.anonymise(complaint)
    db.session.commit()
    answer = db.session.scalar(select(SurveyAnswer))
    assert answer.comment is None and (answer.solved, answer.treatment) == ("no", 2)
    for event in db.session.scalars(select(Event).where(Event.kind == "survey_answered")):
        assert set(event.data) <= {"solved", "treatment", "come_back"}
    assert satisfaction.summary(RESOLVED_AT, RESOLVED_AT + timedelta(days=1)).answered == 1
    assert not satisfaction.can_answer(complaint)


# --- the figures ----------------------------------------------------------------------------------

def test_the_figures_for_a_period_and_filters_worked_out_by_hand(solved, agent, create_complaint):
    """Six complaints asked in December, one in January:
         a  delivery  yes 5 yes   (refund accepted)
         b  delivery  yes 4 maybe
         c  delivery  partly 2 no
         d  invoice   no 1 no
         e  invoice   asked, no answer
         f  invoice   asked, no answer
         g  delivery  asked in January: yes 5 yes (outside the period)
    """
    rows = [("a", "delivery", ("yes", 5, "yes")), ("b", "delivery", ("yes", 4, "maybe")),
            ("c", "delivery", ("partly", 2, "no")), ("d", "invoice", ("no", 1, "no")),
            ("e", "invoice", None), ("f", "invoice", None)]
    made = {}
    for number, (name, category, answer) in enumerate(rows):
        moment = RESOLVED_AT + timedelta(days=number)
        if name == "a":
            complaint, _ = _solved_by_refund(create_complaint, agent, moment, email=f"{name}@example.com")
        else:
            complaint, _ = solved(now=moment, email=f"{name}@example.com", category=category)
        made[name] = complaint
        if answer:
            satisfaction.record_answer(complaint, *answer, now=moment + timedelta(hours=1))
    late, _ = solved(now=local(2027, 1, 4, 12), email="g@example.com")
    satisfaction.record_answer(late, "yes", 5, "yes", now=local(2027, 1, 4, 13))
    db.session.commit()

    december = (local(2026, 12, 1, 0), local(2027, 1, 1, 0))
    figures = satisfaction.summary(*december)
    assert (figures.asked, figures.answered) == (6, 4)
    assert figures.response_rate == pytest.approx(4 / 6)
    assert figures.solved == {"yes": 2, "partly": 1, "no": 1}
    assert figures.solved_share["yes"] == pytest.approx(0.5)
    assert figures.treatment == {1: 1, 2: 1, 3: 0, 4: 1, 5: 1}
    assert figures.treatment_average == pytest.approx((5 + 4 + 2 + 1) / 4)
    assert figures.come_back_share == pytest.approx(1 / 4)
    assert figures.recovery_index == pytest.approx(1 / 4), "only a: solved and would come back"

    invoice = db.session.scalar(select(Category.id).where(Category.slug == "invoice"))
    by_invoice = satisfaction.summary(*december, category_id=invoice)
    assert (by_invoice.asked, by_invoice.answered, by_invoice.solved["no"]) == (3, 1, 1)
    assert by_invoice.recovery_index == 0
    by_refund = satisfaction.summary(*december, remedy="refund")
    assert (by_refund.asked, by_refund.answered, by_refund.recovered) == (1, 1, 1)
    assert satisfaction.summary(*december, owner_id=agent.id).asked == 6
    assert satisfaction.summary(*december, channel="phone").asked == 0

    empty = satisfaction.summary(local(2026, 11, 1, 0), local(2026, 12, 1, 0))
    assert (empty.asked, empty.answered) == (0, 0)
    assert empty.response_rate is None and empty.recovery_index is None and empty.treatment_average is None, \
        "nothing measured is never shown as 0 %"


def _solved_by_refund(create_complaint, agent, moment, **answers):
    """A complaint solved by a refund the customer accepted and the owner carried out."""
    from portal.services import mandate

    complaint, token = create_complaint(now=moment - timedelta(hours=3), **answers)
    work.claim(complaint, agent, now=moment - timedelta(hours=2))
    made = offer(complaint, agent, moment - timedelta(hours=2))
    mandate.accept(complaint, made, now=moment - timedelta(hours=1))
    lifecycle.mark_carried_out(complaint, made, agent, "REF-123", now=moment)
    db.session.commit()
    assert complaint.status == "resolved" and complaint.survey_asked_at is not None
    return complaint, token


def test_the_survey_sentence_is_the_admins_and_is_linted(app):
    from portal.services.errors import SettingError
    from portal.services.organisation import update_organisation

    admin = person("admin")
    with pytest.raises(SettingError):
        update_organisation(admin, {"survey_sentence_en": "We will probably read your answer."})
    update_organisation(admin, {"survey_sentence_nl": "Hoe deden wij het? Drie vragen."})
    db.session.commit()
    assert satisfaction.sentence("nl") == "Hoe deden wij het? Drie vragen."
    assert satisfaction.sentence("en") == satisfaction.DEFAULT_SENTENCE["en"], "empty: ours"


def test_complaints_without_answers_are_in_no_share(solved):
    solved()
    db.session.commit()
    figures = satisfaction.summary(RESOLVED_AT, RESOLVED_AT + timedelta(seconds=1))
    assert (figures.asked, figures.answered, figures.solved_share["yes"]) == (1, 0, None)
    assert db.session.scalar(select(Complaint.survey_asked_at)) == RESOLVED_AT
