"""The organisation that runs the portal, its business calendar, and the admin's changes to both."""
from __future__ import annotations

import time
from types import SimpleNamespace

from datetime import date

from flask import current_app, g, has_app_context
from ..i18n import lazy_gettext as _l
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import ClosingDay, Organisation, User
from .audit import audit, snapshot
from .calendar import DEFAULT_OPENING_HOURS, BusinessCalendar, parse_time
from .errors import SettingError, refuse
from .plain_language import refuse_hedges, website_problem

DEFAULTS = dict(
    name="Gehoord",
    timezone="Europe/Amsterdam",
    holiday_country="NL",
    liberation_day_every_year=True,
    max_handling_weeks=6,
    contact_email="klantenservice@gehoord.example",
    contact_phone="020 123 4567",
    contact_postal="Postbus 1234, 1000 AB Amsterdam",
    ombudsman_name="De Geschillencommissie",
    ombudsman_url="https://www.degeschillencommissie.nl/",
)
# How long a page may show settings read earlier. A change made in this process is seen at once
# (the cache is emptied when it is committed); another app server sees it within this time.
SNAPSHOT_SECONDS = 10.0


def get_organisation() -> Organisation:
    """The organisation row, created with defaults the first time it is asked for."""
    if has_app_context() and "organisation" in g:
        return g.organisation
    organisation = db.session.scalar(select(Organisation).order_by(Organisation.id).limit(1))
    if organisation is None:
        organisation = Organisation(opening_hours=dict(DEFAULT_OPENING_HOURS), **DEFAULTS)
        db.session.add(organisation)
        from .reply_templates import seed_defaults  # it needs the models this module's callers load

        seed_defaults()
        db.session.flush()
    if has_app_context():
        g.organisation = organisation
    return organisation


def get_calendar() -> BusinessCalendar:
    """The organisation's business calendar (from the settings snapshot below)."""
    if not has_app_context():
        return BusinessCalendar.for_organisation(get_organisation())
    return organisation_snapshot().calendar


def organisation_snapshot() -> SimpleNamespace:
    """A read-only copy of the organisation's settings, with its business calendar as `.calendar`.

    Every page shows the organisation's name and contact channels and dates in its time zone, and
    every filing needs the calendar: a copy kept for a few seconds spares each of them a query (and
    the calendar its work). A change made in this process empties it at once; other app servers
    see a change within SNAPSHOT_SECONDS (docs/deploy.md).
    """
    cache = current_app.extensions.setdefault("gehoord.organisation", {})
    snapshot = cache.get("snapshot")
    if snapshot is None or cache.get("expires", 0.0) < time.monotonic():
        organisation = get_organisation()
        columns = {attr.key: getattr(organisation, attr.key) for attr in inspect(Organisation).column_attrs}
        closing_days = tuple(SimpleNamespace(day=c.day, closed_from=c.closed_from, reason=getattr(c, "reason", None))
                             for c in organisation.closing_days)
        snapshot = SimpleNamespace(**columns, closing_days=closing_days,
                                   calendar=BusinessCalendar.for_organisation(organisation))
        cache.update(snapshot=snapshot, expires=time.monotonic() + SNAPSHOT_SECONDS)
    return snapshot


def forget_organisation_snapshot(app=None) -> None:
    (app or current_app).extensions.get("gehoord.organisation", {}).clear()


@event.listens_for(Session, "after_flush")
def _note_organisation_change(session, _flush_context) -> None:
    # Emptied at the flush (the same request then reads its own change) and again at the commit
    # (another request may have filled it in between, from the row as it was before).
    if any(isinstance(obj, (Organisation, ClosingDay)) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info["organisation_changed"] = True
        if has_app_context():
            forget_organisation_snapshot()


@event.listens_for(Session, "after_commit")
def _forget_changed_organisation(session) -> None:
    if session.info.pop("organisation_changed", False) and has_app_context():
        forget_organisation_snapshot()


# --- the organisation's settings and calendar (admin changes; each one an audit event) -----------

ORGANISATION_FIELDS = ("name", "contact_email", "contact_phone", "contact_postal", "default_language",
                       "silent_ratio", "retention_months", "max_handling_weeks", "ombudsman_name",
                       "ombudsman_url", "agent_idle_hours", "wait_days", "close_after_days", "carry_out_days",
                       "admins_need_two_step", "notice_hours_before", "surveys_on", "survey_quiet_days",
                       "survey_sentence_nl", "survey_sentence_en", "colleague_domains", "attachments_max_files",
                       "attachment_max_mb")
CALENDAR_FIELDS = ("timezone", "holiday_country", "holiday_subdiv", "liberation_day_every_year", "opening_hours")


def normalise_time(text: str) -> str:
    """'9.00' or '09:00' as '09:00'; a ValueError for anything that is no time of day (24:00 too)."""
    return parse_time(text).strftime("%H:%M")


def parse_opening_hours(text: str | None) -> list[str] | None:
    """'09:00-17:00' (or '9.00 - 17.00') as ['09:00', '17:00']; empty is None (closed); else ValueError."""
    if not text or not text.strip():
        return None
    opens, dash, closes = text.partition("-")
    if not dash:
        raise ValueError(text)
    opens, closes = normalise_time(opens), normalise_time(closes)
    if opens >= closes:
        raise ValueError(text)
    return [opens, closes]


def _forget_cached_organisation() -> None:
    g.pop("organisation", None)
    g.pop("calendar", None)


def update_organisation(admin: User, values: dict, fields=ORGANISATION_FIELDS, action="organisation_changed") -> None:
    if "ombudsman_url" in fields and "ombudsman_url" in values:
        problem = website_problem(values["ombudsman_url"])
        refuse([("ombudsman_url", problem)] if problem else [], SettingError)
    sentences = [name for name in ("survey_sentence_nl", "survey_sentence_en") if name in fields and name in values]
    refuse_hedges(values, sentences, SettingError)  # the survey's sentence is a customer text (right 3)
    for name in sentences:
        values[name] = (values.get(name) or "").strip() or None
    organisation = get_organisation()
    before = snapshot(organisation, fields)
    for name in fields:
        if name in values:
            setattr(organisation, name, values[name])
    audit(admin, action, organisation.name, before=before, after=snapshot(organisation, fields))
    _forget_cached_organisation()
    db.session.flush()


def check_calendar(values: dict) -> tuple[dict, list]:
    """The calendar as it will be stored, and what is wrong with it: (clean values, [(field, message)]).

    `values` has timezone, holiday_country, holiday_subdiv, liberation_day_every_year and
    opening_hours as {weekday "0".."6": "09:00-17:00" or ""}.
    """
    import holidays
    from zoneinfo import available_timezones

    problems, opening = [], {}
    for weekday in range(7):
        try:
            hours = parse_opening_hours((values.get("opening_hours") or {}).get(str(weekday)))
        except ValueError:
            problems.append((f"hours_{weekday}", _l(
                "Write the hours like 09:00-17:00, or leave it empty for closed. The latest closing time is 23:59.")))
            continue
        if hours:
            opening[str(weekday)] = hours
    if values.get("timezone") not in available_timezones():
        problems.append(("timezone", _l("Enter a time zone, like Europe/Amsterdam")))
    country = (values.get("holiday_country") or "").strip().upper()
    subdiv = (values.get("holiday_subdiv") or "").strip() or None
    if country not in holidays.list_supported_countries():
        problems.append(("holiday_country", _l("Enter a country code that has public holidays, like NL or BE")))
    elif subdiv is not None:
        known = {code.lower(): code for code in holidays.country_holidays(country).subdivisions}
        if subdiv.lower() in known:
            subdiv = known[subdiv.lower()]
        else:
            problems.append(("holiday_subdiv", _l(
                "%(country)s has no region %(region)s. Choose one of: %(regions)s. Or leave it empty.",
                country=country, region=subdiv, regions=", ".join(sorted(known.values())) or "–")
                if known else _l("%(country)s has no regions for public holidays: leave it empty.",
                                 country=country)))
    if not problems and not opening:
        problems.append(("hours_0", _l("Open on at least one day: otherwise no promise has a date")))
    clean = dict(timezone=values.get("timezone"), holiday_country=country, holiday_subdiv=subdiv,
                 liberation_day_every_year=bool(values.get("liberation_day_every_year")), opening_hours=opening)
    return clean, problems


def update_calendar(admin: User, values: dict) -> None:
    """Change the calendar. Promises already made keep their dates: they are stored as moments."""
    clean, problems = check_calendar(values)
    refuse(problems, SettingError)
    update_organisation(admin, clean, CALENDAR_FIELDS, "calendar_changed")


def add_closing_day(admin: User, day: date, closed_from: str | None, reason: str | None, today: date) -> ClosingDay:
    if day < today:
        raise SettingError(_l("Choose a day from today on: a closing day in the past changes nothing."), "day")
    if closed_from:
        try:
            closed_from = normalise_time(closed_from)
        except ValueError:
            raise SettingError(_l("Write the time like 12:00, from 00:00 to 23:59. Leave it empty for the whole day."),
                               "closed_from") from None
    organisation = get_organisation()
    if any(existing.day == day for existing in organisation.closing_days):
        raise SettingError(_l("This day is a closing day already."), "day")
    closing = ClosingDay(day=day, closed_from=closed_from or None, reason=reason or None)
    organisation.closing_days.append(closing)
    audit(admin, "closing_day_added", day.isoformat(), after=dict(closed_from=closed_from, reason=reason))
    _forget_cached_organisation()
    db.session.flush()
    return closing


def remove_closing_day(admin: User, closing: ClosingDay) -> None:
    audit(admin, "closing_day_removed", closing.day.isoformat(),
          before=dict(closed_from=closing.closed_from, reason=closing.reason))
    db.session.delete(closing)
    _forget_cached_organisation()
    db.session.flush()
