"""The admin's overview (/admin/): what is set up, and what needs attention, each with where to fix it.

Read-only: it asks the other services' tables and decides nothing. What counts as "needs attention" is
a gap a customer or colleague would feel: a kind of signal that gets no dated promises, someone who
works complaints but cannot put anything right on the customer's word, an admin without the two-step
login the organisation requires, and erasure requests waiting for an admin.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from ..extensions import db
from ..models import Category, ClosingDay, Improvement, Integration, PromiseTimeline, User
from ..states import Kind, Role
from . import timelines
from .organisation import get_organisation
from .privacy import erasure_requests

CLOSING_DAYS_AHEAD = 60
WORKS_COMPLAINTS = (Role.AGENT, Role.SUPERVISOR)  # admins may, but their work is the set-up


@dataclass
class Overview:
    kinds_without_timeline: list[str] = field(default_factory=list)
    categories: int = 0
    categories_with_own_timeline: int = 0
    people_by_role: dict = field(default_factory=dict)
    without_mandate: list[User] = field(default_factory=list)
    admins_without_two_step: list[User] = field(default_factory=list)
    closing_days_soon: list[ClosingDay] = field(default_factory=list)
    integrations: int = 0
    improvements_public: int = 0
    improvements_draft: int = 0
    erasures_waiting: int = 0

    @property
    def needs_attention(self) -> bool:
        return bool(self.kinds_without_timeline or self.without_mandate or self.admins_without_two_step
                    or self.erasures_waiting)


def setup_overview(today: date) -> Overview:
    """What is set up and what needs attention, as of `today` (the organisation's local date)."""
    organisation = get_organisation()
    found = Overview()
    found.kinds_without_timeline = [kind.value for kind in Kind if timelines.current_timeline(kind, None) is None]
    found.categories = db.session.scalar(select(func.count(Category.id)).where(Category.active.is_(True))) or 0
    found.categories_with_own_timeline = db.session.scalar(
        select(func.count(func.distinct(PromiseTimeline.category_id)))
        .where(PromiseTimeline.category_id.is_not(None))) or 0
    active = list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name)))
    for person in active:
        found.people_by_role[str(person.role)] = found.people_by_role.get(str(person.role), 0) + 1
    found.without_mandate = [person for person in active if person.role in WORKS_COMPLAINTS
                             and (not person.mandate_per_complaint_cents or not person.monthly_budget_cents)]
    if organisation.admins_need_two_step:
        found.admins_without_two_step = [person for person in active
                                         if person.role == Role.ADMIN and not person.two_step_secret]
    found.closing_days_soon = list(db.session.scalars(
        select(ClosingDay).where(ClosingDay.day >= today, ClosingDay.day <= today + timedelta(days=CLOSING_DAYS_AHEAD))
        .order_by(ClosingDay.day)))
    found.integrations = db.session.scalar(
        select(func.count(Integration.id)).where(Integration.revoked_at.is_(None))) or 0
    found.improvements_public = db.session.scalar(
        select(func.count(Improvement.id)).where(Improvement.published_at.is_not(None))) or 0
    found.improvements_draft = db.session.scalar(
        select(func.count(Improvement.id)).where(Improvement.published_at.is_(None))) or 0
    found.erasures_waiting = len(erasure_requests())
    return found
