"""Admin changes to the organisation, calendar, categories and people. Each one is an audit event."""
from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field
from datetime import date
from urllib.parse import urlsplit

from flask import g
from flask_babel import gettext, lazy_gettext as _l
from sqlalchemy import func, select

from charter.lint import Finding, lint

from ..extensions import db
from ..models import Category, ClosingDay, Complaint, Improvement, ImprovementLink, User, utcnow
from .calendar import parse_time
from .complaints import status_url_for_mail
from .organisation import get_organisation
from .outbox import queue_mail
from .promise_editor import audit

ORGANISATION_FIELDS = ("name", "contact_email", "contact_phone", "contact_postal", "default_language",
                       "silent_ratio", "retention_months", "max_handling_weeks", "ombudsman_name",
                       "ombudsman_url")
CALENDAR_FIELDS = ("timezone", "holiday_country", "holiday_subdiv", "liberation_day_every_year", "opening_hours")
CATEGORY_TEXT_FIELDS = ("name_nl", "name_en", "hint_nl", "hint_en", "can_do_nl", "can_do_en", "cannot_do_nl",
                        "cannot_do_en", "disagree_nl", "disagree_en")
IMPROVEMENT_TEXT_FIELDS = ("title_nl", "title_en", "body_nl", "body_en")
CATEGORY_FIELDS = ("name_nl", "name_en", "hint_nl", "hint_en", "can_do_nl", "can_do_en", "cannot_do_nl",
                   "cannot_do_en", "disagree_nl", "disagree_en", "disagree_url", "active")


class SettingError(ValueError):
    """The change cannot be made; `message` says why, for the admin (`problems`: each field and why)."""

    def __init__(self, message, field: str | None = None, problems: list | None = None):
        super().__init__(str(message))
        self.message, self.field = message, field
        self.problems = problems or [(field, message)]


def _refuse(problems: list) -> None:
    if problems:
        field, message = problems[0]
        raise SettingError(message, field, problems)


# --- checks on what admins type -------------------------------------------------------------------

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


def website_problem(url: str | None):
    """Why this cannot be a link customers click (only http and https), or None when it can."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in url:
        return _l("Enter a website address that starts with https://, like https://www.degeschillencommissie.nl")
    return None


def text_findings(values: dict, fields) -> list[tuple[str, Finding]]:
    """What the charter lint finds in each of these texts (the field name ends in _nl or _en)."""
    found = []
    for name in fields:
        text = (values.get(name) or "").strip()
        if text:
            found.extend((name, finding) for finding in lint(text, name[-2:]))
    return found


def finding_message(finding: Finding):
    """The sentence an admin reads about one finding, with the plainer way to say it."""
    if finding.severity == "error":
        return _l("“%(phrase)s” is vague: customers cannot count on it (right %(right)s). This stops the saving. "
                  "Write instead: %(suggestion)s.", phrase=finding.phrase, right=finding.right,
                  suggestion=finding.suggestion)
    if finding.kind == "long_sentence":
        return _l("This sentence is long and hard to read (right %(right)s): “%(phrase)s…”. Split it.",
                  phrase=finding.phrase, right=finding.right)
    return _l("“%(phrase)s” is hard to read for many people (right %(right)s). Plainer: %(suggestion)s.",
              phrase=finding.phrase, right=finding.right, suggestion=finding.suggestion)


def _refuse_hedges(values: dict, fields) -> None:
    """Hedge words block saving, as in the timeline editor (charter right 3); jargon only warns."""
    _refuse([(name, finding_message(f)) for name, f in text_findings(values, fields) if f.severity == "error"])


def _snapshot(row, fields) -> dict:
    return {name: getattr(row, name) for name in fields}


def _forget_cached_organisation() -> None:
    g.pop("organisation", None)
    g.pop("calendar", None)


def update_organisation(admin: User, values: dict, fields=ORGANISATION_FIELDS, action="organisation_changed") -> None:
    if "ombudsman_url" in fields and "ombudsman_url" in values:
        problem = website_problem(values["ombudsman_url"])
        _refuse([("ombudsman_url", problem)] if problem else [])
    organisation = get_organisation()
    before = _snapshot(organisation, fields)
    for name in fields:
        if name in values:
            setattr(organisation, name, values[name])
    audit(admin, action, organisation.name, before=before, after=_snapshot(organisation, fields))
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
    _refuse(problems)
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


def save_category(admin: User, category: Category | None, values: dict) -> Category:
    """Create or change a category. Names are unique in each language; archived ones keep their complaints.

    What we can and cannot do, and where to go next, are promises to customers: hedge words stop it.
    """
    problem = website_problem(values.get("disagree_url"))
    _refuse([("disagree_url", problem)] if problem else [])
    _refuse_hedges(values, CATEGORY_TEXT_FIELDS)
    for name in ("name_nl", "name_en"):
        clash = db.session.scalar(select(Category).where(func.lower(getattr(Category, name)) == values[name].lower()))
        if clash is not None and clash is not category:
            raise SettingError(_l("There is already a category with this name."), name)
    before = _snapshot(category, CATEGORY_FIELDS) if category else None
    if category is None:
        slug = _free_slug(values["name_en"] or values["name_nl"])
        position = (db.session.scalar(select(func.max(Category.position))) or 0) + 1
        category = Category(slug=slug, position=position)
        db.session.add(category)
    for name in CATEGORY_FIELDS:
        if name in values:
            setattr(category, name, values[name])
    audit(admin, "category_saved", category.slug, before=before, after=_snapshot(category, CATEGORY_FIELDS))
    db.session.flush()
    return category


def _free_slug(name: str) -> str:
    import re

    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "category"
    slug, number = base, 1
    while db.session.scalar(select(Category.id).where(Category.slug == slug)) is not None:
        number += 1
        slug = f"{base}-{number}"
    return slug


def update_person(admin: User, person: User, *, role: str, mandate_per_complaint_cents: int,
                  monthly_budget_cents: int, active: bool) -> None:
    """Change a person's role and mandate; deactivate only when nothing of theirs is left open."""
    fields = ("role", "mandate_per_complaint_cents", "monthly_budget_cents", "active")
    if role not in User.ROLES:
        raise SettingError(_l("Choose a role."), "role")
    if mandate_per_complaint_cents < 0 or monthly_budget_cents < 0:
        raise SettingError(_l("A mandate cannot be less than 0."), "mandate")
    if not active and person.active:
        still_open = open_complaints_owned_by(person)
        if still_open:
            raise SettingError(_l("%(name)s still owns %(n)s open complaints. Hand them to a colleague first, "
                                  "so nothing is left without an owner.", name=person.name, n=still_open), "active")
        if person.id == admin.id:
            raise SettingError(_l("You cannot switch off your own account."), "active")
    if person.role == "admin" and person.active and (role != "admin" or not active):
        other_admins = db.session.scalar(select(func.count(User.id)).where(
            User.role == "admin", User.active.is_(True), User.id != person.id)) or 0
        if not other_admins:
            raise SettingError(_l("%(name)s is the last admin who can log in. Make someone else an admin first, "
                                  "so somebody can still change the settings.", name=person.name),
                               "role" if role != "admin" else "active")
    before = _snapshot(person, fields)
    person.role, person.active = role, active
    person.mandate_per_complaint_cents, person.monthly_budget_cents = mandate_per_complaint_cents, monthly_budget_cents
    audit(admin, "person_changed", person.email, before=before, after=_snapshot(person, fields))
    db.session.flush()


def open_complaints_owned_by(person: User) -> int:
    return db.session.scalar(select(func.count(Complaint.id)).where(
        Complaint.owner_id == person.id, Complaint.status.in_(("received", "in_progress", "proposal_made")))) or 0


# --- "you said, we did" ----------------------------------------------------------------------------

@dataclass
class SavedImprovement:
    """What saving an improvement did: the mails it queued and the links it could not remove."""

    improvement: Improvement
    mailed: int = 0
    kept: list[str] = dataclass_field(default_factory=list)  # references: their customer was mailed already


def save_improvement(author: User, improvement: Improvement | None, values: dict,
                     references: list[str]) -> SavedImprovement:
    """Write an improvement and link exactly the complaints that led to it (by their references).

    A link whose customer got the mail already stays: that mail cannot be taken back. When the
    improvement is public already, the customers of newly linked complaints get their mail now.
    """
    from .secrets import normalise_reference

    _refuse_hedges(values, IMPROVEMENT_TEXT_FIELDS)
    complaints = {}
    for reference in references:
        complaint = db.session.scalar(select(Complaint).where(Complaint.reference == normalise_reference(reference)))
        if complaint is None:
            raise SettingError(_l("There is no complaint with reference %(ref)s.", ref=reference), "references")
        complaints[complaint.id] = complaint
    if improvement is None:
        improvement = Improvement(created_by_id=author.id)
        db.session.add(improvement)
    before = dict(references=sorted(link.complaint.reference for link in improvement.links))
    for name in ("title_nl", "title_en", "body_nl", "body_en", "since"):
        setattr(improvement, name, values[name])
    kept = []
    for link in list(improvement.links):
        if link.complaint_id in complaints:
            continue
        if link.mailed_at is not None:
            kept.append(link.complaint.reference)
        else:
            improvement.links.remove(link)
    linked = {link.complaint_id for link in improvement.links}
    for complaint in complaints.values():
        if complaint.id not in linked:
            improvement.links.append(ImprovementLink(complaint=complaint))
    mailed = _tell_customers(improvement) if improvement.published_at else 0
    audit(author, "improvement_saved", values["title_en"], before=before,
          after=dict(references=sorted(link.complaint.reference for link in improvement.links), mailed=mailed,
                     kept=sorted(kept)))
    db.session.flush()
    return SavedImprovement(improvement, mailed, sorted(kept))


def _tell_customers(improvement: Improvement) -> int:
    """Queue the mail for each linked customer not told yet; returns how many."""
    mailed = 0
    for link in improvement.links:
        if link.mailed_at is None and link.complaint.anonymised_at is None:  # erased: no address to mail
            complaint = link.complaint
            queue_mail("improvement", complaint.email, complaint.language,
                       lambda c=complaint: gettext("Because you told us: what we changed (%(ref)s)", ref=c.reference),
                       complaint, improvement=improvement, status_url=status_url_for_mail(complaint))
            link.mailed_at = utcnow()
            mailed += 1
    return mailed


def publish_improvement(author: User, improvement: Improvement) -> int:
    """Publish it, and tell each customer whose complaint led to it, once. Returns the mails queued."""
    improvement.published_at = improvement.published_at or utcnow()
    mailed = _tell_customers(improvement)
    audit(author, "improvement_published", improvement.title_en, after=dict(mailed=mailed))
    db.session.flush()
    return mailed


def published_improvements() -> list[Improvement]:
    return db.session.scalars(select(Improvement).where(Improvement.published_at.is_not(None))
                              .order_by(Improvement.since.desc(), Improvement.id.desc())).all()
