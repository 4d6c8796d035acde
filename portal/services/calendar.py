"""The business calendar: the one place that knows when the organisation works.

Rules (and why):
- Working hours are counted only inside opening hours, on days that are not weekends, public
  holidays (the `holidays` package) or the organisation's own closing days.
- Working days are counted from the day the complaint counts as received: that day itself when it
  arrives on a working day before closing time, otherwise the next working day. "Within 1 working
  day" is then the closing time of the working day after that (as the FCA counts business days).
- All arithmetic is done in UTC; days and opening hours are read in the organisation's time zone,
  so a daylight-saving change never shifts a promise by an hour.
- Moments must be aware. A naive datetime has no meaning here (server time? the organisation's?),
  so it is refused instead of guessed.
- 5 May (Bevrijdingsdag) is a holiday every year by default, as the Algemene termijnenwet (art. 3)
  counts it; the `holidays` package has it only in lustrum years (2025, 2030, ...), which is what
  an organisation gets with `liberation_day_every_year=False`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import cached_property, lru_cache
from zoneinfo import ZoneInfo

import holidays

DEFAULT_OPENING_HOURS = {str(day): ["09:00", "17:00"] for day in range(5)}
# The longest run of closed days we accept before the next working day; a calendar with no working
# day at all is an error.
SEARCH_LIMIT_DAYS = 366 * 2


class CalendarError(ValueError):
    """The calendar cannot produce a moment (for instance: it has no working days)."""


def _as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise CalendarError("a naive datetime has no time zone: give an aware one")
    return moment.astimezone(timezone.utc)


@lru_cache(maxsize=16)
def _country_holidays(country: str, subdiv: str | None) -> holidays.HolidayBase:
    """One holidays table per country and region for the whole process: it fills itself per year."""
    return holidays.country_holidays(country, subdiv=subdiv)


TIME_PATTERN = re.compile(r"\s*(\d{1,2})[:.](\d{2})\s*")


def parse_time(value: str) -> time:
    """'9:00', '09:00' or '12.00' as a time of day; hour 24 and anything else is a ValueError.

    The admin screens store only what this accepts, written as 'HH:MM'.
    """
    match = TIME_PATTERN.fullmatch(value or "")
    if not match:
        raise ValueError(f"not a time of day: {value!r}")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 23 or minutes > 59:
        raise ValueError(f"not a time of day: {value!r}")
    return time(hours, minutes)


def _parse_time(value: str) -> time:
    # A closing time of 24:00 stored before the admin screen refused it means: open until midnight.
    if TIME_PATTERN.fullmatch(value or "") and re.match(r"\s*24[:.]00", value):
        return time.max
    return parse_time(value)


def opening_groups(opening_hours: dict) -> list[tuple[int, int, str, str]]:
    """Weekdays in a row with the same hours, as (first weekday, last weekday, opens, closes); 0 is Monday."""
    groups = []
    for weekday in range(7):
        hours = opening_hours.get(str(weekday))
        if not hours:
            continue
        if groups and groups[-1][1] == weekday - 1 and list(groups[-1][2:]) == list(hours):
            groups[-1] = (groups[-1][0], weekday, hours[0], hours[1])
        else:
            groups.append((weekday, weekday, hours[0], hours[1]))
    return groups


@dataclass(frozen=True)
class BusinessCalendar:
    timezone: str = "Europe/Amsterdam"
    opening_hours: dict = field(default_factory=lambda: dict(DEFAULT_OPENING_HOURS))
    country: str = "NL"
    subdiv: str | None = None
    liberation_day_every_year: bool = True
    # date -> "HH:MM" from which the organisation is closed that day, or None for the whole day
    closing_days: dict = field(default_factory=dict)
    _intervals: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def for_organisation(cls, organisation) -> BusinessCalendar:
        return cls(
            timezone=organisation.timezone,
            opening_hours=dict(organisation.opening_hours or DEFAULT_OPENING_HOURS),
            country=organisation.holiday_country,
            subdiv=organisation.holiday_subdiv,
            liberation_day_every_year=organisation.liberation_day_every_year,
            closing_days={c.day: c.closed_from for c in organisation.closing_days},
        )

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def _holidays(self) -> holidays.HolidayBase:
        return _country_holidays(self.country, self.subdiv)

    def __hash__(self):
        return id(self)

    def holiday_name(self, day: date) -> str | None:
        if self.liberation_day_every_year and self.country == "NL" and (day.month, day.day) == (5, 5):
            return "Bevrijdingsdag"
        return self._holidays.get(day)

    def opening_interval(self, day: date) -> tuple[datetime, datetime] | None:
        """When the organisation is open on this local day, in UTC; None when closed."""
        # Asked for the same days over and over (every row of the queue counts days): remembered.
        if day not in self._intervals:
            self._intervals[day] = self._compute_opening_interval(day)
        return self._intervals[day]

    def _compute_opening_interval(self, day: date) -> tuple[datetime, datetime] | None:
        hours = self.opening_hours.get(str(day.weekday()))
        if not hours or self.holiday_name(day):
            return None
        opens, closes = _parse_time(hours[0]), _parse_time(hours[1])
        if day in self.closing_days:
            closed_from = self.closing_days[day]
            if not closed_from:
                return None
            closes = min(closes, _parse_time(closed_from))
        if closes <= opens:
            return None
        start = datetime.combine(day, opens, tzinfo=self.zone).astimezone(timezone.utc)
        end = datetime.combine(day, closes, tzinfo=self.zone).astimezone(timezone.utc)
        return start, end

    def is_working_day(self, day: date) -> bool:
        return self.opening_interval(day) is not None

    def working_days_from(self, day: date):
        """The working days from this day on (this day included when it is one), without end.

        The limit is on the gap between two working days, not on the distance from `day`: a long
        count (hundreds of working days) is fine, a calendar that is closed for ever is not.
        """
        closed_in_a_row = 0
        while closed_in_a_row < SEARCH_LIMIT_DAYS:
            if self.is_working_day(day):
                closed_in_a_row = 0
                yield day
            else:
                closed_in_a_row += 1
            day += timedelta(days=1)
        raise CalendarError("the calendar has no working day in two years")

    def next_working_days(self, after: date, count: int) -> list[date]:
        """The first `count` working days after this day (what the admin's calendar page lists)."""
        days = self.working_days_from(after + timedelta(days=1))
        return [next(days) for _ in range(count)]

    def closing_time(self, day: date) -> datetime | None:
        """The moment we close on this day (a promise "by that day" is due then); None when closed."""
        interval = self.opening_interval(day)
        return interval[1] if interval else None

    def local_date(self, moment: datetime) -> date:
        return _as_utc(moment).astimezone(self.zone).date()

    def receipt_day(self, moment: datetime) -> date:
        """The working day on which something arriving at this moment counts as received."""
        moment = _as_utc(moment)
        day = self.local_date(moment)
        interval = self.opening_interval(day)
        if interval and moment <= interval[1]:
            return day
        return next(self.working_days_from(day + timedelta(days=1)))

    def add_working_days(self, moment: datetime, days: int) -> datetime:
        """Closing time of the n-th working day after the day this moment counts as received."""
        if days < 1:
            raise CalendarError("a number of working days must be 1 or more")
        days_iter = self.working_days_from(self.receipt_day(moment) + timedelta(days=1))
        for _ in range(days - 1):
            next(days_iter)
        due_day = next(days_iter)
        return self.opening_interval(due_day)[1]

    def add_working_hours(self, moment: datetime, hours: float) -> datetime:
        """The moment when this many hours of opening time have passed since this moment."""
        if hours <= 0:
            raise CalendarError("a number of working hours must be more than 0")
        moment = _as_utc(moment)
        remaining = timedelta(hours=hours)
        for day in self.working_days_from(self.local_date(moment)):
            start, end = self.opening_interval(day)
            if moment >= end:
                continue
            start = max(start, moment)
            available = end - start
            if remaining <= available:
                return start + remaining
            remaining -= available
        raise CalendarError("unreachable")  # pragma: no cover - working_days_from raises first

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Opening time between two moments (zero when end is not after start)."""
        start, end = _as_utc(start), _as_utc(end)
        total = timedelta(0)
        day = self.local_date(start)
        while start < end and day <= self.local_date(end):
            interval = self.opening_interval(day)
            if interval:
                overlap = min(interval[1], end) - max(interval[0], start)
                total += max(overlap, timedelta(0))
            day += timedelta(days=1)
        return total

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """Working days after the day of `start`, up to and including the day of `end`."""
        first, last = self.local_date(start), self.local_date(end)
        count, day = 0, first + timedelta(days=1)
        while day <= last:
            count += self.is_working_day(day)
            day += timedelta(days=1)
        return count

    def add(self, moment: datetime, amount: int, unit: str) -> datetime:
        if unit == "working_hours":
            return self.add_working_hours(moment, amount)
        if unit == "working_days":
            return self.add_working_days(moment, amount)
        raise CalendarError(f"unknown unit {unit!r}")

    def add_weeks_then_working_day(self, moment: datetime, weeks: int) -> datetime:
        """A legal term in weeks: it ends at closing time, moved on to a working day (Atw art. 1)."""
        day = self.local_date(moment) + timedelta(weeks=weeks)
        due_day = next(self.working_days_from(day))
        return self.opening_interval(due_day)[1]
