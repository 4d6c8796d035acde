"""Admin changes to the organisation, calendar, categories and people. Each one is an audit event."""
from __future__ import annotations

from datetime import date

from flask import g
from flask_babel import gettext, lazy_gettext as _l
from sqlalchemy import func, select

from ..extensions import db
from ..models import Category, ClosingDay, Complaint, Improvement, ImprovementLink, User, utcnow
from .complaints import status_url_for_mail
from .organisation import get_organisation
from .outbox import queue_mail
from .promise_editor import audit

ORGANISATION_FIELDS = ("name", "contact_email", "contact_phone", "contact_postal", "default_language",
                       "silent_ratio", "retention_months", "max_handling_weeks", "ombudsman_name",
                       "ombudsman_url")
CALENDAR_FIELDS = ("timezone", "holiday_country", "holiday_subdiv", "liberation_day_every_year", "opening_hours")
CATEGORY_FIELDS = ("name_nl", "name_en", "hint_nl", "hint_en", "can_do_nl", "can_do_en", "cannot_do_nl",
                   "cannot_do_en", "disagree_nl", "disagree_en", "disagree_url", "active")


class SettingError(ValueError):
    """The change cannot be made; `message` says why, for the admin."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message, self.field = message, field


def _snapshot(row, fields) -> dict:
    return {name: getattr(row, name) for name in fields}


def _forget_cached_organisation() -> None:
    g.pop("organisation", None)
    g.pop("calendar", None)


def update_organisation(admin: User, values: dict, fields=ORGANISATION_FIELDS, action="organisation_changed") -> None:
    organisation = get_organisation()
    before = _snapshot(organisation, fields)
    for name in fields:
        if name in values:
            setattr(organisation, name, values[name])
    audit(admin, action, organisation.name, before=before, after=_snapshot(organisation, fields))
    _forget_cached_organisation()
    db.session.flush()


def update_calendar(admin: User, values: dict) -> None:
    """Change the calendar. Promises already made keep their dates: they are stored as moments."""
    update_organisation(admin, values, CALENDAR_FIELDS, "calendar_changed")


def add_closing_day(admin: User, day: date, closed_from: str | None, reason: str | None, today: date) -> ClosingDay:
    if day < today:
        raise SettingError(_l("Choose a day from today on: a closing day in the past changes nothing."), "day")
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
    """Create or change a category. Names are unique in each language; archived ones keep their complaints."""
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
    before = _snapshot(person, fields)
    person.role, person.active = role, active
    person.mandate_per_complaint_cents, person.monthly_budget_cents = mandate_per_complaint_cents, monthly_budget_cents
    audit(admin, "person_changed", person.email, before=before, after=_snapshot(person, fields))
    db.session.flush()


def open_complaints_owned_by(person: User) -> int:
    return db.session.scalar(select(func.count(Complaint.id)).where(
        Complaint.owner_id == person.id, Complaint.status.in_(("received", "in_progress", "proposal_made")))) or 0


# --- "you said, we did" ----------------------------------------------------------------------------

def save_improvement(author: User, improvement: Improvement | None, values: dict,
                     references: list[str]) -> Improvement:
    """Write an improvement and link the complaints that led to it (by their references)."""
    from .secrets import normalise_reference

    complaints = []
    for reference in references:
        complaint = db.session.scalar(select(Complaint).where(Complaint.reference == normalise_reference(reference)))
        if complaint is None:
            raise SettingError(_l("There is no complaint with reference %(ref)s.", ref=reference), "references")
        complaints.append(complaint)
    if improvement is None:
        improvement = Improvement(created_by_id=author.id)
        db.session.add(improvement)
    for name in ("title_nl", "title_en", "body_nl", "body_en", "since"):
        setattr(improvement, name, values[name])
    linked = {link.complaint_id for link in improvement.links}
    for complaint in complaints:
        if complaint.id not in linked:
            improvement.links.append(ImprovementLink(complaint=complaint))
    audit(author, "improvement_saved", values["title_en"], after=dict(references=references))
    db.session.flush()
    return improvement


def publish_improvement(author: User, improvement: Improvement) -> int:
    """Publish it, and tell each customer whose complaint led to it, once. Returns the mails queued."""
    improvement.published_at = improvement.published_at or utcnow()
    mailed = 0
    for link in improvement.links:
        if link.mailed_at is None:
            complaint = link.complaint
            queue_mail("improvement", complaint.email, complaint.language,
                       lambda c=complaint: gettext("Because you told us: what we changed (%(ref)s)", ref=c.reference),
                       complaint, improvement=improvement, status_url=status_url_for_mail(complaint))
            link.mailed_at = utcnow()
            mailed += 1
    audit(author, "improvement_published", improvement.title_en, after=dict(mailed=mailed))
    db.session.flush()
    return mailed


def published_improvements() -> list[Improvement]:
    return db.session.scalars(select(Improvement).where(Improvement.published_at.is_not(None))
                              .order_by(Improvement.since.desc(), Improvement.id.desc())).all()
