"""The business calendar: dated examples first, then properties that hold for any moment.

Conventions under test (see the docstring of portal/services/calendar.py):
- Something counts as received on the day it arrives when that is a working day and it arrives at
  or before closing time; otherwise on the next working day. "n working days" is closing time of
  the n-th working day after that receipt day.
- A due moment in working hours lies inside opening hours; it may be exactly closing time.
- 5 May (Bevrijdingsdag) is closed every year by default, as the Algemene termijnenwet (art. 3)
  and STANDARDS.md §2.2/§7.1 say; `liberation_day_every_year=False` leaves the `holidays`
  package's rule (lustrum years only: 2025, 2030, ...).
- Naive datetimes are refused with a CalendarError.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.services.calendar import DEFAULT_OPENING_HOURS, BusinessCalendar, CalendarError

AMS = ZoneInfo("Europe/Amsterdam")
UTC = timezone.utc
CAL = BusinessCalendar()


def ams(year, month, day, hour=0, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMS)


def wall(moment: datetime) -> datetime:
    """The moment on an Amsterdam wall clock, as a naive datetime to compare with."""
    return moment.astimezone(AMS).replace(tzinfo=None)


def due_days(moment: datetime, days: int, calendar: BusinessCalendar = CAL) -> datetime:
    return wall(calendar.add_working_days(moment, days))


# --- working days: ordinary weeks -----------------------------------------------------------------

def test_monday_morning_plus_one_working_day_is_tuesday_closing_time():
    due = CAL.add_working_days(ams(2026, 3, 2, 9, 30), 1)
    assert wall(due) == datetime(2026, 3, 3, 17, 0)
    assert due.utcoffset() is not None  # the result is aware
    assert due == datetime(2026, 3, 3, 16, 0, tzinfo=UTC)


def test_the_default_promises_from_a_monday():
    filed = ams(2026, 3, 2, 10, 0)
    assert due_days(filed, 1) == datetime(2026, 3, 3, 17, 0)
    assert due_days(filed, 5) == datetime(2026, 3, 9, 17, 0)
    assert due_days(filed, 10) == datetime(2026, 3, 16, 17, 0)


def test_friday_just_before_closing_counts_friday_so_one_day_is_monday():
    assert CAL.receipt_day(ams(2026, 3, 6, 16, 55)) == date(2026, 3, 6)
    assert due_days(ams(2026, 3, 6, 16, 55), 1) == datetime(2026, 3, 9, 17, 0)


def test_exactly_closing_time_still_counts_that_day_a_minute_later_does_not():
    assert CAL.receipt_day(ams(2026, 3, 6, 17, 0)) == date(2026, 3, 6)
    assert CAL.receipt_day(ams(2026, 3, 6, 17, 1)) == date(2026, 3, 9)
    assert due_days(ams(2026, 3, 6, 17, 1), 1) == datetime(2026, 3, 10, 17, 0)


@pytest.mark.parametrize("filed, receipt, due", [
    (ams(2026, 3, 2, 22, 0), date(2026, 3, 3), datetime(2026, 3, 4, 17, 0)),   # Monday night
    (ams(2026, 3, 3, 3, 0), date(2026, 3, 3), datetime(2026, 3, 4, 17, 0)),    # Tuesday 03:00
    (ams(2026, 3, 7, 11, 0), date(2026, 3, 9), datetime(2026, 3, 10, 17, 0)),  # Saturday
    (ams(2026, 3, 8, 23, 59), date(2026, 3, 9), datetime(2026, 3, 10, 17, 0)),  # Sunday night
])
def test_filed_at_night_or_in_the_weekend_counts_from_the_next_working_day(filed, receipt, due):
    assert CAL.receipt_day(filed) == receipt
    assert due_days(filed, 1) == due


def test_only_the_instant_counts_not_the_time_zone_it_is_written_in():
    # Monday 23:30 in New York is Tuesday 05:30 in Amsterdam: received Tuesday.
    new_york = datetime(2026, 3, 2, 23, 30, tzinfo=ZoneInfo("America/New_York"))
    assert CAL.receipt_day(new_york) == date(2026, 3, 3)
    assert due_days(new_york, 1) == datetime(2026, 3, 4, 17, 0)
    # Friday 16:30 UTC is 17:30 in Amsterdam: after closing, received Monday.
    assert CAL.receipt_day(datetime(2026, 3, 6, 16, 30, tzinfo=UTC)) == date(2026, 3, 9)
    # Friday 15:59 UTC is 16:59 in Amsterdam: received Friday.
    assert CAL.receipt_day(datetime(2026, 3, 6, 15, 59, tzinfo=UTC)) == date(2026, 3, 6)


# --- working days: public holidays ----------------------------------------------------------------

@pytest.mark.parametrize("filed, days, due", [
    # Christmas 2026: Fri 25 Dec and Sat 26 Dec; New Year: Fri 1 Jan 2027.
    (ams(2026, 12, 24, 10), 1, datetime(2026, 12, 28, 17)),
    (ams(2026, 12, 23, 10), 5, datetime(2026, 12, 31, 17)),
    (ams(2026, 12, 23, 10), 10, datetime(2027, 1, 8, 17)),
    (ams(2026, 12, 31, 10), 1, datetime(2027, 1, 4, 17)),
    # Christmas 2025 on Thursday and Friday.
    (ams(2025, 12, 24, 10), 1, datetime(2025, 12, 29, 17)),
    # Good Friday 3 Apr and Easter Monday 6 Apr 2026.
    (ams(2026, 4, 2, 10), 1, datetime(2026, 4, 7, 17)),
    # King's Day, Monday 27 Apr 2026.
    (ams(2026, 4, 24, 10), 1, datetime(2026, 4, 28, 17)),
    # Ascension Day, Thursday 14 May 2026 (the Friday after it is a normal working day here).
    (ams(2026, 5, 13, 10), 1, datetime(2026, 5, 15, 17)),
    # Whit Monday, 25 May 2026.
    (ams(2026, 5, 22, 10), 1, datetime(2026, 5, 26, 17)),
    # Liberation Day, Tuesday 5 May 2026: closed every year by default (Atw art. 3).
    (ams(2026, 5, 4, 10), 1, datetime(2026, 5, 6, 17)),
])
def test_dutch_public_holidays_are_skipped(filed, days, due):
    assert due_days(filed, days) == due


def test_filed_on_a_holiday_counts_from_the_next_working_day():
    assert CAL.receipt_day(ams(2026, 4, 27, 10)) == date(2026, 4, 28)  # on King's Day itself
    assert due_days(ams(2026, 4, 27, 10), 1) == datetime(2026, 4, 29, 17)


@pytest.mark.parametrize("year", [2014, 2025])
def test_kings_day_moves_to_saturday_26_april_when_27_april_is_a_sunday(year):
    assert date(year, 4, 27).weekday() == 6
    assert CAL.holiday_name(date(year, 4, 26))
    assert CAL.holiday_name(date(year, 4, 27)) is None
    assert not CAL.is_working_day(date(year, 4, 26))
    # It falls in the weekend, so the Monday after is an ordinary working day.
    assert CAL.is_working_day(date(year, 4, 28))
    assert due_days(ams(year, 4, 25, 10), 1) == datetime(year, 4, 28, 17)


def test_liberation_day_every_year_is_the_default():
    assert CAL.liberation_day_every_year is True
    for year in (2026, 2027, 2028, 2029, 2030):
        assert CAL.holiday_name(date(year, 5, 5)) == "Bevrijdingsdag"
        assert not CAL.is_working_day(date(year, 5, 5))


def test_liberation_day_only_in_lustrum_years_when_so_configured():
    lustrum_only = BusinessCalendar(liberation_day_every_year=False)
    assert lustrum_only.is_working_day(date(2026, 5, 5))  # a Tuesday, not a lustrum year
    assert due_days(ams(2026, 5, 4, 10), 1, lustrum_only) == datetime(2026, 5, 5, 17)
    assert not lustrum_only.is_working_day(date(2025, 5, 5))  # a Monday in a lustrum year
    assert due_days(ams(2025, 5, 2, 10), 1, lustrum_only) == datetime(2025, 5, 6, 17)


def test_liberation_day_is_a_dutch_rule_only():
    england = BusinessCalendar(timezone="Europe/London", country="GB", subdiv="ENG")
    assert england.is_working_day(date(2026, 5, 5))
    # Monday 4 May 2026 is the Early May bank holiday in England.
    due = england.add_working_days(datetime(2026, 5, 1, 10, tzinfo=ZoneInfo("Europe/London")), 1)
    assert due == datetime(2026, 5, 5, 16, tzinfo=UTC)  # 17:00 British Summer Time


# --- extra closing days ---------------------------------------------------------------------------

def test_an_extra_closing_day_is_skipped():
    # The Friday after Ascension, as a Royal Decree usually equates it (STANDARDS.md §2.2).
    calendar = BusinessCalendar(closing_days={date(2026, 5, 15): None})
    assert calendar.is_working_day(date(2026, 5, 15)) is False
    assert due_days(ams(2026, 5, 13, 10), 1, calendar) == datetime(2026, 5, 18, 17)
    assert CAL.is_working_day(date(2026, 5, 15))  # the calendar without it is unchanged


def test_a_closing_day_given_as_an_empty_time_closes_the_whole_day():
    calendar = BusinessCalendar(closing_days={date(2026, 3, 3): ""})
    assert due_days(ams(2026, 3, 2, 10), 1, calendar) == datetime(2026, 3, 4, 17)


def test_closing_early_makes_the_day_shorter():
    calendar = BusinessCalendar(closing_days={date(2026, 12, 24): "12:00"})
    # Received before 12:00 on 24 December: that day counts.
    assert calendar.receipt_day(ams(2026, 12, 24, 11, 0)) == date(2026, 12, 24)
    assert due_days(ams(2026, 12, 24, 11, 0), 1, calendar) == datetime(2026, 12, 28, 17)
    # After 12:00 it counts from Monday 28 December.
    assert calendar.receipt_day(ams(2026, 12, 24, 13, 0)) == date(2026, 12, 28)
    assert due_days(ams(2026, 12, 24, 13, 0), 1, calendar) == datetime(2026, 12, 29, 17)
    # A promise that falls on that day is due when we close.
    assert due_days(ams(2026, 12, 23, 10, 0), 1, calendar) == datetime(2026, 12, 24, 12)
    # Working hours stop at 12:00 too.
    assert wall(calendar.add_working_hours(ams(2026, 12, 24, 11, 0), 2)) == datetime(2026, 12, 28, 10)


def test_closing_before_opening_closes_the_whole_day():
    calendar = BusinessCalendar(closing_days={date(2026, 3, 3): "08:00"})
    assert not calendar.is_working_day(date(2026, 3, 3))


def test_for_organisation_reads_hours_holidays_and_closing_days():
    organisation = SimpleNamespace(
        timezone="Europe/Amsterdam", opening_hours={"5": ["10:00", "14:00"]}, holiday_country="NL",
        holiday_subdiv=None, liberation_day_every_year=False,
        closing_days=[SimpleNamespace(day=date(2026, 3, 14), closed_from=None)])
    calendar = BusinessCalendar.for_organisation(organisation)
    # Open on Saturdays only; Saturday 14 March is closed, so Monday 9 March 10:00 → 1 day → 21 March.
    assert calendar.receipt_day(ams(2026, 3, 9, 10)) == date(2026, 3, 21)
    assert due_days(ams(2026, 3, 9, 10), 1, calendar) == datetime(2026, 3, 28, 14)


def test_an_organisation_without_opening_hours_gets_the_default():
    organisation = SimpleNamespace(timezone="Europe/Amsterdam", opening_hours=None, holiday_country="NL",
                                   holiday_subdiv=None, liberation_day_every_year=True, closing_days=[])
    calendar = BusinessCalendar.for_organisation(organisation)
    assert due_days(ams(2026, 3, 2, 9, 30), 1, calendar) == datetime(2026, 3, 3, 17)


# --- working hours --------------------------------------------------------------------------------

@pytest.mark.parametrize("filed, hours, due", [
    (ams(2026, 3, 2, 10, 0), 1, datetime(2026, 3, 2, 11, 0)),
    (ams(2026, 3, 2, 10, 0), 7, datetime(2026, 3, 2, 17, 0)),    # exactly closing time
    (ams(2026, 3, 2, 10, 0), 8, datetime(2026, 3, 3, 10, 0)),    # spills into Tuesday
    (ams(2026, 3, 2, 16, 0), 2, datetime(2026, 3, 3, 10, 0)),
    (ams(2026, 3, 2, 16, 0), 0.5, datetime(2026, 3, 2, 16, 30)),
    (ams(2026, 3, 6, 16, 30), 1, datetime(2026, 3, 9, 9, 30)),   # Friday → Monday
    (ams(2026, 3, 2, 9, 0), 40, datetime(2026, 3, 6, 17, 0)),    # a full working week
    (ams(2026, 3, 2, 7, 0), 1, datetime(2026, 3, 2, 10, 0)),     # before opening
    (ams(2026, 3, 2, 20, 0), 1, datetime(2026, 3, 3, 10, 0)),    # after closing
    (ams(2026, 3, 7, 11, 0), 1, datetime(2026, 3, 9, 10, 0)),    # Saturday
    (ams(2026, 4, 2, 16, 0), 3, datetime(2026, 4, 7, 11, 0)),    # over Easter
    (ams(2026, 12, 24, 16, 0), 4, datetime(2026, 12, 28, 12, 0)),  # over Christmas
])
def test_working_hours(filed, hours, due):
    assert wall(CAL.add_working_hours(filed, hours)) == due


def test_add_dispatches_on_the_unit():
    filed = ams(2026, 3, 2, 10)
    assert CAL.add(filed, 1, "working_days") == CAL.add_working_days(filed, 1)
    assert CAL.add(filed, 4, "working_hours") == CAL.add_working_hours(filed, 4)
    with pytest.raises(CalendarError):
        CAL.add(filed, 1, "calendar_days")


@pytest.mark.parametrize("amount", [0, -1])
def test_a_count_must_be_positive(amount):
    with pytest.raises(CalendarError):
        CAL.add_working_days(ams(2026, 3, 2, 10), amount)
    with pytest.raises(CalendarError):
        CAL.add_working_hours(ams(2026, 3, 2, 10), amount)


# --- daylight saving ------------------------------------------------------------------------------

def test_working_days_over_the_change_to_summer_time():
    # Summer time starts on Sunday 29 March 2026.
    due = CAL.add_working_days(ams(2026, 3, 27, 10), 1)
    assert wall(due) == datetime(2026, 3, 30, 17, 0)
    assert due.astimezone(AMS).utcoffset() == timedelta(hours=2)
    assert due == datetime(2026, 3, 30, 15, 0, tzinfo=UTC)


def test_working_days_over_the_change_to_winter_time():
    # Winter time starts on Sunday 25 October 2026.
    due = CAL.add_working_days(ams(2026, 10, 23, 10), 1)
    assert wall(due) == datetime(2026, 10, 26, 17, 0)
    assert due.astimezone(AMS).utcoffset() == timedelta(hours=1)
    assert due == datetime(2026, 10, 26, 16, 0, tzinfo=UTC)


def test_working_hours_over_the_daylight_saving_weekends():
    spring = CAL.add_working_hours(ams(2026, 3, 27, 16, 0), 2)
    assert spring == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # Monday 10:00 summer time
    autumn = CAL.add_working_hours(ams(2026, 10, 23, 16, 0), 2)
    assert autumn == datetime(2026, 10, 26, 9, 0, tzinfo=UTC)  # Monday 10:00 winter time


def test_working_hours_on_the_day_of_the_change_are_real_hours():
    # An organisation open on Sunday night: 01:00–05:00 on the wall clock. On the night the clock
    # jumps from 02:00 to 03:00 that is 3 real hours; on the night it goes back, 5.
    calendar = BusinessCalendar(opening_hours={"6": ["01:00", "05:00"]})
    opens, closes = calendar.opening_interval(date(2026, 3, 29))
    assert closes - opens == timedelta(hours=3)
    opens, closes = calendar.opening_interval(date(2026, 10, 25))
    assert closes - opens == timedelta(hours=5)
    assert wall(calendar.add_working_hours(ams(2026, 3, 29, 1, 0), 3)) == datetime(2026, 3, 29, 5, 0)
    assert wall(calendar.add_working_hours(ams(2026, 10, 25, 1, 0), 5)) == datetime(2026, 10, 25, 5, 0)


# --- naive datetimes, long counts, broken calendars -----------------------------------------------

@pytest.mark.parametrize("call", [
    lambda moment: CAL.receipt_day(moment),
    lambda moment: CAL.local_date(moment),
    lambda moment: CAL.add_working_days(moment, 1),
    lambda moment: CAL.add_working_hours(moment, 1),
    lambda moment: CAL.add(moment, 1, "working_days"),
    lambda moment: CAL.add_weeks_then_working_day(moment, 6),
])
def test_naive_datetimes_are_refused(call):
    with pytest.raises(CalendarError, match="naive"):
        call(datetime(2026, 3, 2, 10, 0))


def test_a_long_count_is_not_mistaken_for_a_calendar_without_working_days():
    # 600 working days is more than two calendar years; that is no reason to give up.
    filed = ams(2026, 3, 2, 10)
    due = CAL.add_working_days(filed, 600)
    counted = sum(CAL.is_working_day(date(2026, 3, 2) + timedelta(days=i))
                  for i in range(1, (due.date() - date(2026, 3, 2)).days + 1))
    assert counted == 600
    # 600 working days of 8 hours from Monday 09:00 end at closing time of the 600th, Monday included.
    assert CAL.add_working_hours(ams(2026, 3, 2, 9), 8 * 600) == CAL.add_working_days(filed, 599)


def test_a_calendar_without_working_days_says_so():
    with pytest.raises(CalendarError):
        BusinessCalendar(opening_hours={}).add_working_days(ams(2026, 3, 2, 10), 1)
    with pytest.raises(CalendarError):
        BusinessCalendar(opening_hours={}).add_working_hours(ams(2026, 3, 2, 10), 1)


# --- a legal term in weeks (Atw art. 1) -----------------------------------------------------------

def test_six_weeks_ending_on_ascension_day_move_to_the_next_working_day():
    # STANDARDS.md §2.2: received Thu 2 Apr 2026 → 6 weeks = Thu 14 May (Ascension) → Fri 15 May.
    assert wall(CAL.add_weeks_then_working_day(ams(2026, 4, 2, 10), 6)) == datetime(2026, 5, 15, 17)
    # With the Friday after Ascension equated by Royal Decree: Monday 18 May.
    calendar = BusinessCalendar(closing_days={date(2026, 5, 15): None})
    assert wall(calendar.add_weeks_then_working_day(ams(2026, 4, 2, 10), 6)) == datetime(2026, 5, 18, 17)


# --- properties -----------------------------------------------------------------------------------
#
# The checks below do not trust the calendar's own idea of a working day: they ask the `holidays`
# package, the weekday, the opening hours and the closing days directly.

def _dense_closing_days() -> dict:
    """Every 9th day closed, alternately all day and from 12:30, so closing days are often hit."""
    days, day, whole = {}, date(1999, 1, 1), True
    while day < date(2045, 1, 1):
        days[day] = None if whole else "12:30"
        whole = not whole
        day += timedelta(days=9)
    return days


CALENDARS = [
    CAL,
    BusinessCalendar(
        liberation_day_every_year=False, closing_days=_dense_closing_days(),
        opening_hours={"0": ["08:30", "17:30"], "1": ["08:30", "17:30"], "2": ["08:30", "12:00"],
                       "3": ["08:30", "17:30"], "4": ["08:30", "16:00"], "5": ["10:00", "14:00"]}),
    BusinessCalendar(timezone="Europe/London", country="GB", subdiv="ENG"),
    BusinessCalendar(timezone="Australia/Sydney", country="AU", subdiv="NSW",
                     opening_hours={str(d): ["07:00", "19:00"] for d in range(5)}),
]
ORACLE_HOLIDAYS = {id(c): holidays.country_holidays(c.country, subdiv=c.subdiv) for c in CALENDARS}

any_moment = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 12, 31),
                          timezones=st.timezones())
# Half of the moments fall in the weeks with most holidays (Easter to Whitsun, Christmas), which
# a uniform pick over 40 years would rarely reach.
holiday_season_moment = st.builds(
    lambda year, start, days, minute, zone: (
        datetime(year, *start) + timedelta(days=days, minutes=minute)).replace(tzinfo=zone),
    st.integers(2000, 2040), st.sampled_from([(3, 15), (4, 20), (12, 15)]), st.integers(0, 50),
    st.integers(0, 24 * 60 - 1), st.timezones())
moments = st.one_of(any_moment, holiday_season_moment)
calendars = st.sampled_from(CALENDARS)
PROPERTY_SETTINGS = settings(max_examples=120, deadline=None)


def hhmm(value: str) -> time:
    return time.fromisoformat(value)


def in_zone(calendar: BusinessCalendar, moment: datetime) -> datetime:
    # Through UTC: astimezone() to the moment's own zone would keep an imaginary wall-clock time
    # (one skipped by a daylight-saving jump) as it is, instead of the instant it stands for.
    return moment.astimezone(UTC).astimezone(ZoneInfo(calendar.timezone))


def oracle_hours(calendar: BusinessCalendar, day: date) -> tuple[time, time] | None:
    """Opening and closing wall-clock time on this day, or None when closed: from first principles."""
    if day in ORACLE_HOLIDAYS[id(calendar)]:
        return None
    if calendar.country == "NL" and calendar.liberation_day_every_year and (day.month, day.day) == (5, 5):
        return None
    hours = calendar.opening_hours.get(str(day.weekday()))
    if not hours:
        return None
    opens, closes = hhmm(hours[0]), hhmm(hours[1])
    if day in calendar.closing_days:
        if not calendar.closing_days[day]:
            return None
        closes = min(closes, hhmm(calendar.closing_days[day]))
    return (opens, closes) if opens < closes else None


def oracle_interval_utc(calendar: BusinessCalendar, day: date):
    hours = oracle_hours(calendar, day)
    if hours is None:
        return None
    zone = ZoneInfo(calendar.timezone)
    return tuple(datetime.combine(day, t, tzinfo=zone).astimezone(UTC) for t in hours)


def assert_inside_opening_hours(calendar: BusinessCalendar, due: datetime) -> tuple[date, time, time]:
    local = due.astimezone(ZoneInfo(calendar.timezone))
    day = local.date()
    assert calendar.opening_hours.get(str(day.weekday())), f"{day} is a day we are never open"
    if calendar.opening_hours == DEFAULT_OPENING_HOURS:
        assert day.weekday() < 5, f"{day} is in the weekend"
    assert day not in ORACLE_HOLIDAYS[id(calendar)], f"{day} is a holiday"
    hours = oracle_hours(calendar, day)
    assert hours is not None, f"{day} is not a working day"
    opens, closes = hours
    assert opens < local.time().replace(tzinfo=None) <= closes, f"{local} is outside {opens}–{closes}"
    return day, opens, closes


@PROPERTY_SETTINGS
@given(calendar=calendars, moment=moments, days=st.integers(1, 60))
def test_property_working_days(calendar, moment, days):
    due = calendar.add_working_days(moment, days)
    local_day = in_zone(calendar, moment).date()

    assert due.utcoffset() is not None
    assert due > moment
    day, _, closes = assert_inside_opening_hours(calendar, due)
    assert due.astimezone(ZoneInfo(calendar.timezone)).time() == closes  # always at closing time

    # The receipt day: today while we are (still) open today, else the next working day.
    receipt = calendar.receipt_day(moment)
    today = oracle_interval_utc(calendar, local_day)
    if today is not None and moment <= today[1]:
        assert receipt == local_day
    else:
        assert receipt > local_day
        assert oracle_hours(calendar, receipt) is not None
        assert all(oracle_hours(calendar, local_day + timedelta(days=i)) is None
                   for i in range(1, (receipt - local_day).days))

    # Exactly `days` working days after the receipt day, the last one being the due day.
    counted = sum(oracle_hours(calendar, receipt + timedelta(days=i)) is not None
                  for i in range(1, (day - receipt).days + 1))
    assert counted == days

    # One more day is strictly later (monotonic in n).
    assert calendar.add_working_days(moment, days + 1) > due


@PROPERTY_SETTINGS
@given(calendar=calendars, moment=moments, quarters=st.integers(4, 800))
def test_property_working_hours(calendar, moment, quarters):
    hours = quarters / 4  # 1 to 200 hours, in quarter hours
    due = calendar.add_working_hours(moment, hours)

    assert due.utcoffset() is not None
    assert due > moment
    assert_inside_opening_hours(calendar, due)

    # Exactly `hours` of opening time lie between the moment and the due moment.
    zone = ZoneInfo(calendar.timezone)
    first, last = in_zone(calendar, moment).date(), due.astimezone(zone).date()
    open_time = timedelta()
    for i in range((last - first).days + 1):
        interval = oracle_interval_utc(calendar, first + timedelta(days=i))
        if interval:
            start, end = max(interval[0], moment), min(interval[1], due)
            open_time += max(end - start, timedelta())
    assert open_time == timedelta(hours=hours)

    # A quarter of an hour more is strictly later (monotonic in the number of hours).
    assert calendar.add_working_hours(moment, hours + 0.25) > due


# --- times as admins write them -------------------------------------------------------------------

def test_times_are_read_with_a_colon_or_a_dot_and_hour_24_is_no_time_of_day():
    from portal.services.calendar import parse_time

    assert parse_time("9:00") == time(9, 0) and parse_time("12.30") == time(12, 30)
    for wrong in ("24:00", "24:30", "12:60", "noon", "", "12"):
        with pytest.raises(ValueError):
            parse_time(wrong)


def test_a_closing_time_of_24_stored_earlier_means_open_until_midnight():
    calendar = BusinessCalendar(opening_hours={"0": ["09:00", "24:00"]})
    opens, closes = calendar.opening_interval(date(2026, 3, 2))
    assert wall(opens) == datetime(2026, 3, 2, 9, 0)
    assert wall(closes).date() == date(2026, 3, 2) and wall(closes).time() >= time(23, 59)
    assert calendar.is_working_day(date(2026, 3, 2))
    dotted = BusinessCalendar(closing_days={date(2026, 3, 3): "12.00"})
    assert wall(dotted.opening_interval(date(2026, 3, 3))[1]) == datetime(2026, 3, 3, 12, 0)


def test_opening_hours_are_grouped_by_days_in_a_row_with_the_same_hours():
    from portal.services.calendar import opening_groups

    assert opening_groups(DEFAULT_OPENING_HOURS) == [(0, 4, "09:00", "17:00")]
    hours = {"0": ["09:00", "17:00"], "1": ["09:00", "17:00"], "3": ["09:00", "17:00"], "4": ["09:00", "12:00"]}
    assert opening_groups(hours) == [(0, 1, "09:00", "17:00"), (3, 3, "09:00", "17:00"), (4, 4, "09:00", "12:00")]
