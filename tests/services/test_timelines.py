"""Promise-timelines: the seeded defaults, and promises that are fixed once they are made."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from flask import g

from sqlalchemy import select

from portal.services import filing
from portal.extensions import db
from portal.models import ClosingDay, Complaint
from portal.services import timelines
from portal.services.calendar import BusinessCalendar
from portal.services.organisation import get_calendar, get_organisation

AMS = ZoneInfo("Europe/Amsterdam")


def ams(year, month, day, hour=0, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMS)


def offsets(steps) -> list[tuple[str, int, str]]:
    return [(s.key, s.offset_amount, s.offset_unit) for s in steps]


def reload(complaint_id: int) -> Complaint:
    """The complaint as the database has it, not as this session remembers it."""
    db.session.expire_all()
    return db.session.get(Complaint, complaint_id)


def promised(complaint: Complaint) -> list[tuple[str, datetime, str]]:
    return [(p.key, p.due_at, p.label_en) for p in complaint.promises]


# --- the seeded defaults --------------------------------------------------------------------------

def test_the_seeded_complaint_timeline_promises_1_5_and_10_working_days(app):
    expected = [("contact", 1, "working_days"), ("proposal", 5, "working_days"),
                ("resolved", 10, "working_days")]
    assert [(s["key"], s["offset_amount"], s["offset_unit"]) for s in timelines.DEFAULT_STEPS["complaint"]] \
        == expected
    timeline = timelines.current_timeline("complaint", None)
    assert timeline is not None and timeline.version == 1
    assert offsets(timeline.steps) == expected
    assert [s.position for s in timeline.steps] == [1, 2, 3]


def test_every_kind_has_a_seeded_timeline(app):
    for kind in ("complaint", "compliment", "suggestion"):
        timeline = timelines.current_timeline(kind, None)
        assert timeline is not None and timeline.steps, kind


def test_a_filed_complaint_gets_dated_promises_at_1_5_and_10_working_days(app, create_complaint):
    complaint, _ = create_complaint(now=ams(2026, 3, 2, 10, 0))  # a Monday morning
    complaint = reload(complaint.id)
    assert [(p.key, p.due_at.astimezone(AMS).replace(tzinfo=None)) for p in complaint.promises] == [
        ("contact", datetime(2026, 3, 3, 17, 0)),
        ("proposal", datetime(2026, 3, 9, 17, 0)),
        ("resolved", datetime(2026, 3, 16, 17, 0)),
    ]
    for promise in complaint.promises:
        assert promise.due_at.utcoffset() == timedelta(0)  # stored and read back as UTC
        assert promise.state == "open"
    assert complaint.timeline.version == 1


def test_promises_over_the_holidays_are_dated_after_them(app, create_complaint):
    # Filed on Christmas Eve 2026 in the evening: counts from Monday 28 December.
    complaint, _ = create_complaint(now=ams(2026, 12, 24, 20, 0))
    due = [p.due_at.astimezone(AMS).replace(tzinfo=None) for p in reload(complaint.id).promises]
    assert due == [datetime(2026, 12, 29, 17), datetime(2027, 1, 5, 17), datetime(2027, 1, 12, 17)]


FILING_MOMENTS = [
    ams(2026, 3, 2, 10, 0),    # an ordinary Monday
    ams(2026, 3, 6, 23, 0),    # Friday night
    ams(2026, 4, 1, 18, 0),    # before Good Friday, Easter, King's Day, 5 May and Ascension
    ams(2026, 5, 12, 9, 0),    # before Ascension and Whitsun
    ams(2026, 12, 24, 20, 0),  # Christmas and New Year
    ams(2027, 3, 26, 16, 0),   # over the change to summer time, and Easter 2027
]


def test_no_default_promise_lies_past_six_weeks(app):
    # One app for all cases: building the app is the slow part of this test.
    weeks = get_organisation().max_handling_weeks
    assert weeks == 6
    for kind in ("complaint", "compliment", "suggestion"):
        for filed_at in FILING_MOMENTS:
            planned = timelines.plan(timelines.current_timeline(kind, None).steps, filed_at, get_calendar())
            assert planned
            for promise in planned:
                assert filed_at < promise.due_at <= filed_at + timedelta(weeks=weeks), \
                    (kind, filed_at, promise.step.key)
            dues = [p.due_at for p in planned]
            assert dues == sorted(dues), (kind, filed_at)  # a later step is never due before an earlier one


# --- promises are fixed once made -----------------------------------------------------------------

def test_snapshot_stores_what_plan_computes_as_absolute_moments(app, create_complaint):
    filed_at = ams(2026, 4, 24, 16, 30)  # the Friday before King's Day
    complaint, _ = create_complaint(now=filed_at)
    planned = timelines.plan(timelines.current_timeline("complaint", None).steps, filed_at, get_calendar())
    complaint = reload(complaint.id)
    assert [p.due_at for p in complaint.promises] == [p.due_at for p in planned]
    assert [p.position for p in complaint.promises] == [1, 2, 3]
    # The labels and explanations are copied, not looked up in the timeline.
    step = timelines.DEFAULT_STEPS["complaint"][0]
    first = complaint.promises[0]
    assert (first.label_nl, first.label_en, first.explanation_nl, first.explanation_en) == (
        step["label_nl"], step["label_en"], step["explanation_nl"], step["explanation_en"])


def test_a_new_timeline_version_does_not_change_promises_already_made(app, create_complaint):
    complaint, _ = create_complaint(now=ams(2026, 3, 2, 10, 0))
    before = promised(reload(complaint.id))

    steps = [dict(step, offset_amount=step["offset_amount"] * 2, label_en=step["label_en"] + " (new)")
             for step in timelines.DEFAULT_STEPS["complaint"]]
    timelines.create_timeline("complaint", None, steps)
    db.session.commit()

    assert promised(reload(complaint.id)) == before
    assert reload(complaint.id).timeline.version == 1
    # The edit is real: a complaint filed now gets the new version and later dates.
    later, _ = create_complaint(now=ams(2026, 3, 2, 10, 0))
    later = reload(later.id)
    assert later.timeline.version == 2
    assert [p.due_at for p in later.promises] == [
        ams(2026, 3, 4, 17), ams(2026, 3, 16, 17), ams(2026, 3, 30, 17)]


def test_editing_the_steps_in_place_does_not_change_promises_already_made(app, create_complaint):
    complaint, _ = create_complaint(now=ams(2026, 3, 2, 10, 0))
    before = promised(reload(complaint.id))

    timeline = timelines.current_timeline("complaint", None)
    for step in timeline.steps:
        step.offset_amount = 30
        step.offset_unit = "working_hours"
        step.label_en = "Something else"
    timeline.steps[0].key = "renamed"
    db.session.commit()

    assert promised(reload(complaint.id)) == before


def test_a_calendar_change_does_not_move_promises_already_made(app, create_complaint):
    complaint, _ = create_complaint(now=ams(2026, 3, 2, 10, 0))
    before = promised(reload(complaint.id))

    organisation = get_organisation()
    organisation.closing_days.append(ClosingDay(day=date(2026, 3, 3), closed_from=None, reason="Move"))
    db.session.commit()
    g.pop("calendar", None)  # the next calendar read sees the closing day
    assert not get_calendar().is_working_day(date(2026, 3, 3))

    assert promised(reload(complaint.id)) == before
    assert reload(complaint.id).promises[0].due_at == ams(2026, 3, 3, 17)


# --- plan() ---------------------------------------------------------------------------------------

def step(key, amount, unit, relative_to="filing"):
    return SimpleNamespace(key=key, offset_amount=amount, offset_unit=unit, relative_to=relative_to)


def test_plan_counts_from_filing_or_from_the_previous_step():
    calendar = BusinessCalendar()
    filed_at = ams(2026, 3, 2, 10, 0)
    planned = timelines.plan([
        step("a", 4, "working_hours"),
        step("b", 1, "working_days", relative_to="previous"),   # from Monday 14:00
        step("c", 1, "working_days"),                           # from filing again
        step("d", 8, "working_hours", relative_to="previous"),  # a working day of hours after c
    ], filed_at, calendar)
    assert [p.due_at for p in planned] == [
        ams(2026, 3, 2, 14), ams(2026, 3, 3, 17), ams(2026, 3, 3, 17), ams(2026, 3, 4, 17)]
    assert all(p.due_at.tzinfo is not None for p in planned)


def test_plan_with_steps_without_relative_to_counts_from_filing():
    steps = [SimpleNamespace(**s) for s in timelines.DEFAULT_STEPS["complaint"]]
    planned = timelines.plan(steps, ams(2026, 3, 2, 10, 0), BusinessCalendar())
    assert [p.due_at for p in planned] == [ams(2026, 3, 3, 17), ams(2026, 3, 9, 17), ams(2026, 3, 16, 17)]
    assert planned[0].due_at == datetime(2026, 3, 3, 16, 0, tzinfo=timezone.utc)


def test_a_fresh_installation_without_demo_data_still_makes_dated_promises(app):
    from portal.models import PromiseStep, PromiseTimeline
    from portal.services.organisation import get_calendar
    from tests.fixtures.complaints import answers

    for step in db.session.scalars(select(PromiseStep)).all():
        db.session.delete(step)
    for timeline in db.session.scalars(select(PromiseTimeline)).all():
        db.session.delete(timeline)
    db.session.flush()
    draft = filing.start_draft("complaint")
    filing.save_answers(draft, answers(category="other"))
    filed = filing.file_draft(draft, calendar=get_calendar())
    assert [p.key for p in filed.complaint.promises] == ["contact", "proposal", "resolved"]


def test_a_category_with_its_own_timeline_gets_its_newest_version_and_the_others_the_general_one(app):
    from portal.models import Category

    own, without = db.session.scalars(select(Category).order_by(Category.id).limit(2)).all()
    step = dict(key="contact", label_nl="Wij bellen u", label_en="We call you", offset_amount=2,
                offset_unit="working_days")
    first = timelines.create_timeline("complaint", own.id, [step])
    newest = timelines.create_timeline("complaint", own.id, [{**step, "offset_amount": 3}])
    timelines.create_timeline("complaint", None, [{**step, "offset_amount": 4}])
    general = timelines.create_timeline("complaint", None, [{**step, "offset_amount": 5}])
    assert general.version > newest.version > first.version  # the general one is newer, and still not chosen
    assert timelines.current_timeline("complaint", own.id) == newest
    assert timelines.current_timeline("complaint", without.id) == general
    assert timelines.current_timeline("complaint", None) == general
