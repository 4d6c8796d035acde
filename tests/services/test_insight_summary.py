"""The insight summary per day and category (services/insight_summary.py) gives every figure the
count from scratch gives: after a life of complaints driven through the services, for a week, a
month, a quarter and a range, for every category and for one; and it notices what changes it."""
from datetime import date

import pytest
from sqlalchemy import func, select, text, update

from portal.extensions import db
from portal.models import Category, ClosingDay, Complaint, InsightDay, InsightStale
from portal.services import complaints, insight, insight_summary, lifecycle, mandate, privacy, satisfaction, work
from portal.services.insight import Filters, Period
from portal.services.organisation import get_calendar, get_organisation
from portal.states import Kind, Solved
from tests.fixtures.people import person

from .test_lifecycle import local, offer

NOVEMBER = Period.month(2026, 11)
PERIODS = (NOVEMBER, Period.month(2026, 10), Period(date(2026, 11, 9), date(2026, 11, 15)),
           Period(date(2026, 10, 1), date(2026, 12, 31)), Period(date(2026, 10, 15), date(2026, 12, 4)))


def category(slug):
    return db.session.scalar(select(Category).where(Category.slug == slug))


def figures(period: Period, filters: Filters, counted: bool) -> dict:
    """Every figure of the insight pages, from the summary or counted from the complaints."""
    if counted:
        signals, costs = insight.signals_counted(period, filters), insight.costs_counted(period, filters)
        complaints_return = insight.complaints_return_counted(period, filters)
        start, end = period.bounds()
        survey = satisfaction.summary(start, end, **filters.as_dict())
    else:
        signals, costs = insight.signals(period, filters), insight.costs(period, filters)
        complaints_return = insight.complaints_return(period, filters)
        survey = insight.survey_of(insight_summary.read(period.first, period.last, filters.category_id).total)
    scorecard = [(row.indicator.key, row.now, row.before) for row in insight.scorecard(period, filters, counted)]
    top = [(c.slug, n, s.answered, s.solved, s.treatment, s.come_back, s.recovered, s.asked)
           for c, n, s in insight.top_categories(period, filters, found=signals)]
    return {"by_kind": signals.by_kind, "by_bucket": signals.by_bucket, "by_channel": signals.by_channel,
            "handled_as": signals.handled_as, "by_category": dict(signals.by_category), "causes": signals.causes,
            "money": costs.total, "by_remedy": dict(costs.by_remedy), "by_root_cause": dict(costs.by_root_cause),
            "money_by_category": dict(costs.by_category), "money_by_bucket": costs.by_bucket,
            "handled": costs.handled, "return": complaints_return, "scorecard": scorecard, "top": top,
            "survey": (survey.asked, survey.answered, survey.solved, survey.treatment, survey.recovered)}


def assert_summary_equals_a_count_from_scratch():
    for period in PERIODS:
        for filters in (Filters(), Filters(category_id=category("delivery").id),
                        Filters(category_id=category("invoice").id)):
            assert insight.summarised(filters)
            from_summary, counted = figures(period, filters, False), figures(period, filters, True)
            for name in counted:
                assert from_summary[name] == counted[name], (period, filters, name)
    today = date(2026, 12, 4)
    effects = [(e.improvement.id, e.complaints_before, e.complaints_after, e.costs_before, e.costs_after)
               for e in insight.improvement_effects(today)]
    assert effects == [(e.improvement.id, e.complaints_before, e.complaints_after, e.costs_before, e.costs_after)
                       for e in insight.improvement_effects(today, counted=True)]


@pytest.fixture
def life(app, create_complaint):
    """Complaints from October to December, each through the services an agent and a customer use."""
    agent, supervisor = person("agent"), person("supervisor")
    calendar = get_calendar()
    made = {}
    for name, kind, slug, filed in (("refund", "complaint", "delivery", local(2026, 11, 2, 10)),
                                    ("credit", "complaint", "invoice", local(2026, 11, 10, 10)),
                                    ("withdrawn", "complaint", "product", local(2026, 11, 25, 10)),
                                    ("october", "complaint", "delivery", local(2026, 10, 20, 10)),
                                    ("compliment", "compliment", "delivery", local(2026, 11, 20, 10)),
                                    ("reopened", "complaint", "delivery", local(2026, 11, 3, 10)),
                                    ("idea", "suggestion", "invoice", local(2026, 11, 30, 23, 30))):
        complaint, _token = create_complaint(kind=kind, now=filed, category=slug)
        work.claim(complaint, agent, now=filed)
        made[name] = complaint
    refund, credit, reopened, october = made["refund"], made["credit"], made["reopened"], made["october"]

    work.classify(refund, agent, handled_as="fix", root_cause="system", chance_to_improve=True,
                  improvement_note="Bezorger belt vooraf")
    work.reply(refund, agent, "Wij betalen u terug. Het geld staat morgen op uw rekening.", now=local(2026, 11, 2, 14))
    made_offer = offer(refund, agent, local(2026, 11, 3, 10))
    mandate.accept(refund, made_offer, now=local(2026, 11, 4, 10), calendar=calendar)
    lifecycle.mark_carried_out(refund, made_offer, agent, "NL12 betaling 4411", now=local(2026, 11, 6, 10),
                               calendar=calendar)

    complaints.customer_message(credit, "Hoe staat het ervoor?", local(2026, 11, 11, 9))
    work.reply(credit, agent, "Ik kijk er vandaag naar en bel u morgen om tien uur.", now=local(2026, 11, 12, 10))
    credit_offer = offer(credit, agent, local(2026, 11, 13, 10), remedy="credit", amount_cents=1000, text="Credit.")
    mandate.decline(credit, credit_offer, "Te weinig.", calendar, now=local(2026, 11, 14, 10))
    work.classify(credit, agent, handled_as="listen", root_cause="process", chance_to_improve=False,
                  improvement_note=None)
    lifecycle.close_by_owner(credit, agent, "Samen besproken.", True, now=local(2026, 11, 20, 12))

    complaints.withdraw(made["withdrawn"], now=local(2026, 11, 26, 12))
    privacy.anonymise(made["withdrawn"], local(2026, 11, 27, 12))

    work.extend_promise(next(p for p in october.promises if p.state == "open"), agent, date(2026, 11, 30),
                        "We wachten op de vervoerder.", calendar, now=local(2026, 10, 21, 10))
    work.hand_over(october, agent, supervisor, "Graag overnemen.", now=local(2026, 10, 22, 10))
    complaints.mark_missed_promises(local(2026, 11, 16, 12))

    # Solved, opened again (its first end moves to a later day), solved again.
    lifecycle.resolve(reopened, local(2026, 11, 5, 12), calendar)
    work.reopen(reopened, "Het pakket is weer kapot.", calendar, now=local(2026, 11, 10, 12))
    lifecycle.resolve(reopened, local(2026, 11, 24, 12), calendar)
    lifecycle.close_resolved(local(2026, 12, 3, 12))
    satisfaction.ask_after_close(local(2026, 11, 21, 13))
    for complaint in (refund, reopened, credit):
        if satisfaction.can_answer(complaint):
            satisfaction.record_answer(complaint, "partly", 4, "yes", now=local(2026, 12, 3, 12))
    satisfaction.record_answer(refund, "yes", 5, "yes", now=local(2026, 12, 3, 13))  # changed within the week
    made["compliment"].category = category("invoice")  # an agent put it where it belongs
    db.session.commit()
    return made


def test_every_figure_from_the_summary_equals_a_count_from_scratch(life):
    assert insight.signals(NOVEMBER).total == 6, "the complaints of November are counted"
    assert_summary_equals_a_count_from_scratch()
    assert db.session.scalar(select(func.count()).select_from(InsightStale)) == 0, "every note was folded in"
    assert insight.survey(NOVEMBER).answered >= 1 and insight.costs(NOVEMBER).total.carried_out == 2500


def test_the_pages_read_the_summary_and_a_change_that_left_no_note_is_not_seen_until_counted_again(life):
    """So the summary is really what the pages read (and `--rebuild` mends a change made by hand)."""
    assert insight.signals(NOVEMBER).by_kind[Kind.SUGGESTION] == 1
    db.session.execute(text("UPDATE complaints SET kind = 'compliment' WHERE kind = 'suggestion'"))
    assert insight.signals(NOVEMBER).by_kind[Kind.SUGGESTION] == 1, "no note: the summary still says so"
    assert insight.signals_counted(NOVEMBER).by_kind[Kind.SUGGESTION] == 0
    insight_summary.note_everything()
    assert insight.signals(NOVEMBER).by_kind[Kind.SUGGESTION] == 0
    assert_summary_equals_a_count_from_scratch()


def test_a_change_of_the_calendar_or_time_zone_counts_every_day_again(life):
    insight.signals(NOVEMBER)
    db.session.add(ClosingDay(organisation=get_organisation(), day=date(2026, 11, 4), closed_from=None))
    db.session.flush()
    notes = db.session.execute(select(InsightStale.complaint_id, InsightStale.day)).all()
    assert (None, None) in notes, "a closing day changes which complaints closed within 3 working days"
    assert_summary_equals_a_count_from_scratch()
    get_organisation().timezone = "America/Curacao"
    db.session.flush()
    assert (None, None) in db.session.execute(select(InsightStale.complaint_id, InsightStale.day)).all()


def test_a_guarded_update_notes_what_it_sets_and_the_days_its_ends_were_on(life):
    insight.signals(NOVEMBER)
    refund = life["refund"]

    def notes():
        return set(db.session.execute(select(InsightStale.complaint_id, InsightStale.part, InsightStale.day)).all())

    db.session.execute(update(Complaint).where(Complaint.id == refund.id).values(root_cause="product")
                       .execution_options(synchronize_session=False))
    assert notes() == {(refund.id, "all", None)}, "a root cause is counted under on every day of it"
    assert_summary_equals_a_count_from_scratch()
    db.session.execute(update(Complaint).where(Complaint.id == refund.id).values(closed_at=local(2026, 12, 4, 9))
                       .execution_options(synchronize_session=False))
    assert notes() == {(None, None, date(2026, 11, 6)), (None, None, date(2026, 12, 3)), (refund.id, "ended", None)}, \
        "the days it was solved and closed on before, and the day it ends on now"
    db.session.execute(update(Complaint).where(Complaint.id == refund.id).values(owner_id=None)
                       .execution_options(synchronize_session=False))
    assert len(notes()) == 3, "who owns it is in no figure: no note"
    db.session.execute(update(Complaint).where(Complaint.kind == "suggestion").values(root_cause="product")
                       .execution_options(synchronize_session=False))
    assert (None, None, None) in notes(), "an update of rows it cannot tell marks everything"
    assert_summary_equals_a_count_from_scratch()


def test_a_change_no_figure_reads_leaves_no_note(life):
    insight.signals(NOVEMBER)
    october = life["october"]  # open, handed over to the supervisor, no reply yet
    work.reply(october, person("supervisor"), "Dank u. Ik bel u morgen om tien uur.", now=local(2026, 12, 3, 10))
    db.session.flush()
    assert set(db.session.scalars(select(InsightStale.day))) == {date(2026, 12, 3), date(2026, 10, 20),
                                                                 date(2026, 11, 30)}, \
        "our scored reply on its day, the first reply on the day it was filed, the promise it kept on its due day"
    assert_summary_equals_a_count_from_scratch()
    complaints.customer_message(october, "Nog een vraag.", local(2026, 12, 3, 11))  # after our reply
    october.attention_at = local(2026, 12, 3, 11)
    db.session.flush()
    assert db.session.scalar(select(func.count()).select_from(InsightStale)) == 0


def test_counting_twice_counts_nothing_twice_and_days_without_signals_keep_no_row(life):
    insight_summary.note_everything()
    first = insight_summary.bring_up_to_date()
    rows = db.session.scalar(select(func.count()).select_from(InsightDay))
    assert first > 40 and insight_summary.bring_up_to_date() == 0
    assert db.session.scalar(select(func.count()).select_from(InsightDay)) == rows
    days = {day for (day,) in db.session.execute(select(InsightDay.day).where(InsightDay.category_id == -1))}
    assert date(2026, 11, 2) in days and date(2026, 11, 1) not in days, "1 November had nothing to count"


def test_the_insight_page_keeps_what_it_folded_in(life, client, auth):
    life["refund"].handled_as = "listen"
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(InsightStale)) > 0
    auth.login("manager")
    assert client.get("/insight/?month=2026-11").status_code == 200
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(InsightStale)) == 0, "committed by the page"


def test_the_command_counts_every_day_again(life, runner):
    result = runner.invoke(args=["portal", "insight-summary", "--rebuild"])
    assert result.exit_code == 0 and "day(s) counted again" in result.output
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(InsightStale)) == 0
    assert insight.signals(NOVEMBER).total == 6
    assert Solved.YES in insight.survey(NOVEMBER).solved
