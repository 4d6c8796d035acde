"""What complaints teach us: each figure against a small fixed world whose right answer is worked out
by hand here (charter: "a complaint is a chance"; seeds 001, 003, 004)."""
import math
from datetime import date

import pytest
from sqlalchemy import select, update

from charter.indicators import BY_KEY, INDICATORS
from charter.rights import RIGHTS
from portal.extensions import db
from portal.models import Category, Offer, Promise, utcnow
from portal.services import filing, insight, privacy
from portal.services.insight import Filters, Period
from portal.services.organisation import _forget_cached_organisation, get_calendar, get_organisation
from portal.states import Kind, OfferState, PromiseState, Status
from tests.fixtures.people import person

from .test_lifecycle import local, offer

NOVEMBER = Period.month(2026, 11)


def category(slug):
    return db.session.scalar(select(Category).where(Category.slug == slug))


@pytest.fixture
def world(app, create_complaint):
    """November 2026, worked out by hand:

    A  complaint  delivery  filed Mon 2 Nov   fix / system    refund 25.00 offered 3 Nov, yes 4 Nov,
                                                              paid 6 Nov; resolved 6 Nov
    B  complaint  delivery  filed Tue 10 Nov  listen / process  no offer; resolved Wed 11 Nov
    C  complaint  invoice   filed Thu 12 Nov  not classified  credit 10.00 offered 13 Nov, declined; closed Fri 20 Nov
    D  compliment           filed Fri 20 Nov
    G  complaint  product   filed Wed 25 Nov  not classified  withdrawn 26 Nov, then erased
    E  complaint  delivery  filed Tue 20 Oct  (the month before), still open
    Every complaint asks for compensation (the fixture's answers), except the compliment.
    """
    agent = person("agent")
    made = {}
    for name, kind, slug, filed in (("A", "complaint", "delivery", local(2026, 11, 2, 10)),
                                    ("B", "complaint", "delivery", local(2026, 11, 10, 10)),
                                    ("C", "complaint", "invoice", local(2026, 11, 12, 10)),
                                    ("D", "compliment", "delivery", local(2026, 11, 20, 10)),
                                    ("G", "complaint", "product", local(2026, 11, 25, 10)),
                                    ("E", "complaint", "delivery", local(2026, 10, 20, 10))):
        complaint, _token = create_complaint(kind=kind, now=filed, category=slug)
        complaint.owner = agent
        made[name] = complaint
    a, b, c, g = made["A"], made["B"], made["C"], made["G"]
    a.handled_as, a.root_cause = "fix", "system"
    b.handled_as, b.root_cause = "listen", "process"
    refund = offer(a, agent, local(2026, 11, 3, 10), remedy="refund", amount_cents=2500)
    credit = offer(c, agent, local(2026, 11, 13, 10), remedy="credit", amount_cents=1000, text="Credit.")
    db.session.flush()
    refund.state, refund.answered_at = OfferState.CARRIED_OUT, local(2026, 11, 4, 10)
    refund.carried_out_at = local(2026, 11, 6, 10)
    a.offer_accepted_at = refund.answered_at  # what mandate.accept keeps on the complaint
    credit.state, credit.answered_at = OfferState.DECLINED, local(2026, 11, 14, 10)
    a.status, a.resolved_at = Status.RESOLVED, local(2026, 11, 6, 12)
    b.status, b.resolved_at = Status.RESOLVED, local(2026, 11, 11, 12)
    c.status, c.closed_at = Status.CLOSED, local(2026, 11, 20, 12)
    g.status, g.withdrawn_at = Status.WITHDRAWN, local(2026, 11, 26, 12)
    privacy.anonymise(g, local(2026, 11, 27, 12))
    db.session.commit()
    return made


# --- the period ------------------------------------------------------------------------------------

def test_a_month_compares_with_the_month_before_and_other_periods_with_as_many_days_before():
    assert NOVEMBER == Period(date(2026, 11, 1), date(2026, 11, 30))
    assert NOVEMBER.before() == Period(date(2026, 10, 1), date(2026, 10, 31))
    assert Period(date(2026, 11, 11), date(2026, 11, 20)).before() == Period(date(2026, 11, 1), date(2026, 11, 10))
    assert [label for label, _f, _l in Period(date(2026, 1, 1), date(2026, 3, 31)).buckets()] == \
        ["2026-01", "2026-02", "2026-03"]
    # November 2026 starts on a Sunday: that day is a week of its own, then Monday to Sunday.
    weeks = [(first.day, last.day) for _label, first, last in NOVEMBER.buckets()]
    assert weeks == [(1, 1), (2, 8), (9, 15), (16, 22), (23, 29), (30, 30)]


def test_a_period_in_the_address_bar_is_read_politely(app):
    today = date(2026, 12, 4)
    assert insight.period_from({}, today) == Period(date(2026, 11, 5), today), "the last 30 days"
    assert insight.period_from({"month": "2026-11"}, today) == NOVEMBER
    assert insight.period_from({"from": "2026-11-01", "to": "2026-11-30"}, today) == NOVEMBER
    for wrong, field in (({"from": "1 november"}, "from"), ({"from": "2026-12-01", "to": "2026-11-01"}, "to"),
                         ({"month": "november"}, "month"), ({"from": "1900-01-01"}, "from")):
        with pytest.raises(insight.InsightError) as refused:
            insight.period_from(wrong, today)
        assert refused.value.field == field
    with pytest.raises(insight.InsightError) as refused:
        insight.filters_from({"kind": "rant", "category": "1; drop"})
    assert {field for field, _message in refused.value.problems} == {"kind", "category"}
    assert insight.filters_from({"kind": "complaint", "owner": "3"}) == Filters(kind=Kind.COMPLAINT, owner_id=3)


# --- signals, the silent majority, costs -----------------------------------------------------------

def test_signals_count_every_kind_per_week_and_an_unknown_is_neither_fix_nor_listen(world):
    found = insight.signals(NOVEMBER)
    assert found.total == 5 and found.complaints == 4, "A, B, C, G and the compliment; E is October's"
    assert found.by_kind[Kind.COMPLIMENT] == 1 and found.by_kind[Kind.SUGGESTION] == 0
    assert [counts.total() for _label, counts in found.by_bucket] == [0, 1, 2, 1, 1, 0]
    assert found.handled_as["fix"] == 1 and found.handled_as["listen"] == 1
    assert found.handled_as[None] == 2, "C and the erased G are not classified: shown as such"
    by_slug = {c.slug if c else None: n for c, n in found.by_category}
    assert by_slug["invoice"] == 1 and by_slug["product"] == 1, "an erased complaint still counts"
    assert found.by_channel["web"] == 5
    assert insight.signals(NOVEMBER.before()).total == 1


def test_filters_narrow_every_figure(world):
    delivery = category("delivery")
    assert insight.signals(NOVEMBER, Filters(category_id=delivery.id, kind=Kind.COMPLAINT)).total == 2
    assert insight.signals(NOVEMBER, Filters(root_cause="process")).total == 1
    assert insight.signals(NOVEMBER, Filters(remedy="refund")).total == 1, "what the customer said yes to"
    assert insight.signals(NOVEMBER, Filters(owner_id=person("supervisor").id)).total == 0
    assert insight.costs(NOVEMBER, Filters(category_id=category("invoice").id)).total.offered == 1000


def test_the_silent_majority_is_the_complaints_times_the_admins_ratio(world):
    assert insight.silent_majority(4).estimate == 36, "4 complaints x 9"
    get_organisation().silent_ratio = 3
    db.session.commit()
    _forget_cached_organisation()
    assert insight.silent_majority(4).estimate == 12


def test_failure_costs_count_what_reached_the_customer_by_remedy_category_and_cause(world):
    found = insight.costs(NOVEMBER)
    assert (found.total.count, found.total.offered, found.total.accepted, found.total.carried_out) == \
        (2, 3500, 2500, 2500), "a declined offer was offered, not accepted"
    assert found.by_remedy["refund"].accepted == 2500 and found.by_remedy["credit"].accepted == 0
    assert found.by_root_cause["system"].offered == 2500 and found.by_root_cause[None].offered == 1000
    assert found.by_category[category("invoice")].offered == 1000
    assert [money.offered for _label, money in found.by_bucket] == [0, 2500, 1000, 0, 0, 0]
    assert found.handling_estimate_cents is None, "no cost per hour set: no estimate"
    organisation = get_organisation()
    organisation.handling_cost_per_hour_cents, organisation.handling_minutes_per_complaint = 4000, 90
    db.session.commit()
    _forget_cached_organisation()
    assert insight.costs(NOVEMBER).handled == 4, "A, B, C and G ended in November"
    assert insight.costs(NOVEMBER).handling_estimate_cents == 24000, "4 x 1.5 hours x 40.00"


def test_a_waiting_or_refused_offer_costs_nothing(world):
    db.session.execute(update(Offer).values(state=OfferState.REFUSED))
    assert insight.costs(NOVEMBER).total.offered == 0


def test_root_causes_per_category_and_the_top_categories_beside_satisfaction(world):
    found = insight.root_causes(NOVEMBER)
    assert found[category("delivery")] == {"system": 1, "process": 1}
    assert found[category("invoice")] == {None: 1}
    top = insight.top_categories(NOVEMBER)
    assert [(c.slug, n) for c, n, _survey in top][0] == ("delivery", 2)
    assert all(survey.answered == 0 and survey.recovery_index is None for _c, _n, survey in top), \
        "nobody answered: no figure, never a 0%"


# --- the charter scorecard -------------------------------------------------------------------------

def test_every_right_has_one_indicator_with_a_measure():
    assert [i.right for i in INDICATORS] == [r.number for r in RIGHTS] == list(range(1, 11))
    assert set(insight.MEASURES) == set(BY_KEY)


def test_right_1_requests_for_compensation_that_got_an_offer(world):
    # Ended in November asking for money: A (offer), B (none), C (offer, declined); G withdrew without one.
    measured = insight.measure(BY_KEY["word_enough"], NOVEMBER)
    assert (measured.value, measured.of) == (pytest.approx(2 / 4), 4)


def test_right_2_started_filings_against_sent_ones(app, create_complaint):
    filing.start_draft("complaint")
    filing.start_draft("complaint")
    create_complaint()  # a third start, and sent
    db.session.commit()
    today = get_calendar().local_date(utcnow())
    measured = insight.measure(BY_KEY["filing_completion"], Period(today, today))
    assert (measured.value, measured.of, measured.apart["filed"]) == (pytest.approx(1 / 3), 3, 1)
    assert insight.measure(BY_KEY["filing_completion"], NOVEMBER).value is None, "nothing started: no figure"


def test_right_3_promises_kept_on_time_with_moves_apart(world):
    db.session.execute(update(Promise).values(due_at=local(2027, 1, 4, 12)))
    first, second, third, fourth = world["A"].promises[:2] + world["C"].promises[:2]
    first.due_at, first.state, first.kept_at = local(2026, 11, 3, 12), PromiseState.KEPT, local(2026, 11, 3, 9)
    second.due_at, second.state, second.missed_at = local(2026, 11, 5, 12), PromiseState.MISSED, local(2026, 11, 5, 12)
    third.due_at, third.state, third.moved_at = local(2026, 11, 13, 12), PromiseState.MOVED, local(2026, 11, 12, 12)
    # Missed, then kept late: a miss all the same.
    fourth.due_at, fourth.state = local(2026, 11, 14, 12), PromiseState.KEPT
    fourth.missed_at, fourth.kept_at = local(2026, 11, 14, 12), local(2026, 11, 16, 9)
    db.session.commit()
    measured = insight.measure(BY_KEY["promises_kept"], NOVEMBER)
    assert (measured.value, measured.of, measured.apart["moved"]) == (pytest.approx(1 / 3), 3, 1)
    assert insight.measure(BY_KEY["promises_kept"], NOVEMBER.before()).value is None


def test_right_4_7_and_9_reading_the_customer_who_wrote_first_and_the_hours_to_our_first_reply(world):
    from portal.services import complaints, work

    a, b = world["A"], world["B"]
    agent = person("agent")
    # A: we replied after 4 working hours (Mon 10:00 -> 14:00); B: the customer asked before we answered.
    work.reply(a, agent, "Wij betalen u terug. Het geld staat morgen op uw rekening.", now=local(2026, 11, 2, 14))
    complaints.customer_message(b, "Hoe staat het ervoor?", local(2026, 11, 10, 16))
    work.reply(b, agent, "Ik bel u morgen. In principe om tien uur.", now=local(2026, 11, 11, 10))
    db.session.commit()
    asked = insight.measure(BY_KEY["asked_where"], NOVEMBER)
    assert (asked.value, asked.of) == (pytest.approx(1 / 4), 4)
    hours = insight.measure(BY_KEY["first_reply_hours"], NOVEMBER)
    # From filing: A Mon 10:00 -> 14:00 is 4 working hours; B Tue 10:00 -> Wed 10:00 is 7 + 1 (open
    # 09:00-17:00). The median of 4 and 8 is 6.
    assert hours.value == pytest.approx(6.0) and (world["A"].first_reply_hours, world["B"].first_reply_hours) == (4, 8)
    assert hours.apart["waiting"] == 3, "C, the compliment and G got no reply"
    complaints.customer_message(a, "Dank u, het geld is er.", local(2026, 11, 3, 9))
    assert insight.measure(BY_KEY["asked_where"], NOVEMBER).value == pytest.approx(1 / 4), "after our reply: no chasing"
    reading = insight.measure(BY_KEY["reply_reading"], NOVEMBER)
    scores = sorted(m.reading_score for m in (a.messages + b.messages) if m.author == "agent")
    # Scores are kept to a whole number (half away from zero, as the database rounds).
    whole = [math.floor(score + 0.5) for score in scores]
    assert reading.of == 2 and reading.value == pytest.approx(sum(whole) / 2), "the median of two"
    assert reading.apart["warned_sent"] == pytest.approx(1 / 2), "'in principe' was warned about and sent anyway"


def test_right_10_solved_with_yes_reopened_and_escalated(world):
    measured = insight.measure(BY_KEY["solved_say_customers"], NOVEMBER)
    assert measured.value is None, "no survey answers: no figure"
    assert measured.apart["accepted"] == pytest.approx(1 / 2), "A said yes, C said no"
    assert measured.apart["escalated"] == 0


def test_the_scorecard_row_says_whether_the_target_is_met_and_the_trend(world):
    rows = {row.indicator.key: row for row in insight.scorecard(NOVEMBER)}
    row = rows["word_enough"]
    assert row.target == 0.9 and row.meets is False and row.trend is None, "October has nothing to compare"
    insight.set_targets({"word_enough": 0.5})
    db.session.commit()
    _forget_cached_organisation()
    assert {row.indicator.key: row for row in insight.scorecard(NOVEMBER)}["word_enough"].meets is True
    with pytest.raises(ValueError):
        insight.set_targets({"happiness": 1})


def test_an_empty_period_has_no_figures_rather_than_zeros(app):
    empty = Period(date(2020, 1, 1), date(2020, 1, 31))
    for row in insight.scorecard(empty):
        assert row.now.value is None and row.meets is None, row.indicator.key
    assert insight.signals(empty).total == 0 and insight.costs(empty).total.offered == 0


# --- the complaints return and the export -----------------------------------------------------------

def test_the_complaints_return_in_the_regulators_shape(world):
    found = insight.complaints_return(NOVEMBER)
    assert (found.open_at_start, found.received, found.closed, found.open_at_end) == (1, 4, 4, 1), \
        "E was open before and after; A, B, C, G came and ended; the compliment is no complaint"
    # Working days after the day of filing up to the end: A 4 (Tue-Fri), B 1, C 6, G 1.
    assert found.within_3_working_days == 2 and found.within_4_weeks == 4
    assert found.weeks_4_to_8 == found.over_8_weeks == found.over_6_weeks == 0
    assert found.upheld == 1 and found.upheld_share == pytest.approx(0.25)
    assert found.redress_cents == 2500


def test_the_export_has_no_personal_data_unless_asked_and_erased_rows_have_none(world):
    rows = list(insight.export_rows(db.session.execute(insight.export_query(NOVEMBER)), get_calendar()))
    assert len(rows) == 5 and len(rows[0]) == len(insight.EXPORT_COLUMNS)
    assert not any("Fatima" in str(cell) or "fatima@example.com" in str(cell) for row in rows for cell in row)
    personal = list(insight.export_rows(db.session.execute(insight.export_query(NOVEMBER, personal=True)),
                                        get_calendar()))
    by_reference = {row[0]: row for row in personal}
    assert by_reference[world["A"].reference][-3:-1] == ("Fatima el Amrani", "fatima@example.com")
    assert "fatima@example.com" not in by_reference[world["G"].reference], "erased: nothing personal left"


def test_a_name_that_looks_like_a_formula_stays_text_in_a_spreadsheet(app, create_complaint):
    complaint, _token = create_complaint(name="=HYPERLINK(\"http://evil.example\")")
    db.session.commit()
    today = get_calendar().local_date(complaint.created_at)
    [row] = insight.export_rows(db.session.execute(insight.export_query(Period(today, today), personal=True)),
                                get_calendar())
    assert row[-3].startswith("'=")


def test_improvements_compare_their_topics_before_and_after(world):
    from portal.models import Improvement, ImprovementLink

    improvement = Improvement(title_nl="Pakket droog", title_en="Parcel dry", body_nl="x", body_en="x",
                              since=date(2026, 11, 9), published_at=utcnow())
    db.session.add(improvement)
    db.session.flush()
    db.session.add(ImprovementLink(improvement_id=improvement.id, complaint_id=world["A"].id))
    db.session.commit()
    [effect] = insight.improvement_effects(date(2026, 11, 30))
    # Delivery complaints caused by the system: A (2 Nov) in the 22 days before 9 Nov, none after.
    assert effect.after.days == 22 and effect.before == Period(date(2026, 10, 18), date(2026, 11, 8))
    assert (effect.complaints_before, effect.complaints_after) == (1, 0)
    assert (effect.costs_before, effect.costs_after) == (2500, 0)


def test_right_6_and_8_a_dated_timeline_from_the_start_and_limits_told_before_sending(world):
    world["D"].timeline_id = None  # as if the compliment had been filed without a timeline
    product = category("product")
    product.cannot_do_nl = product.cannot_do_en = None  # the product topic says nothing of our limits
    db.session.commit()
    dated = insight.measure(BY_KEY["dated_from_start"], NOVEMBER)
    assert (dated.value, dated.of) == (pytest.approx(4 / 5), 5)
    limits = insight.measure(BY_KEY["limits_told"], NOVEMBER)
    assert (limits.value, limits.of) == (pytest.approx(3 / 4), 4), "A, B (delivery) and C (invoice); not G (product)"


def test_right_5_offers_the_customer_answered_themselves(world):
    found = insight.measure(BY_KEY["customer_decides"], NOVEMBER)
    assert (found.value, found.of) == (1.0, 2), "A said yes (and it was carried out), C said no"
    db.session.execute(update(Offer).where(Offer.remedy == "credit").values(state=OfferState.ENDED))
    assert insight.measure(BY_KEY["customer_decides"], NOVEMBER).value == pytest.approx(1 / 2)


def test_the_top_categories_survey_figures_equal_the_survey_summary_of_each(world):
    from portal.models import SurveyAnswer
    from portal.services import satisfaction

    for name, solved, treatment, come_back in (("A", "yes", 5, "yes"), ("B", "partly", 3, "maybe"),
                                               ("C", "no", 1, "no")):
        complaint = world[name]
        complaint.survey_asked_at = complaint.resolved_at or complaint.closed_at
        db.session.add(SurveyAnswer(complaint_id=complaint.id, solved=solved, treatment=treatment,
                                    come_back=come_back, answered_at=complaint.survey_asked_at))
    db.session.commit()
    start, end = NOVEMBER.bounds()
    top = {c.slug: survey for c, _n, survey in insight.top_categories(NOVEMBER)}
    assert top["delivery"].answered == 2 and top["delivery"].recovery_index == pytest.approx(1 / 2)
    for slug in ("delivery", "invoice"):
        alone = satisfaction.summary(start, end, category_id=category(slug).id)
        assert (top[slug].asked, top[slug].answered, top[slug].recovered, top[slug].treatment) == \
            (alone.asked, alone.answered, alone.recovered, alone.treatment), slug


def test_the_complaint_keeps_when_an_offer_reached_the_customer_and_when_they_said_yes(app, create_complaint):
    from portal.services import mandate, work

    agent, supervisor = person("agent"), person("supervisor")
    complaint, _token = create_complaint()
    work.claim(complaint, agent)
    big = offer(complaint, agent, local(2026, 11, 3, 10), amount_cents=50_000)  # above the mandate: waits
    assert complaint.offer_reached_at is None, "waiting for a co-sign, the customer has seen nothing"
    mandate.cosign(big, supervisor, now=local(2026, 11, 3, 12), calendar=get_calendar())
    assert complaint.offer_reached_at == local(2026, 11, 3, 12)
    mandate.accept(complaint, big, now=local(2026, 11, 4, 9))
    assert complaint.offer_accepted_at == local(2026, 11, 4, 9)
