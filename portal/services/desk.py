"""The supervisors' desk: today's figures for the team, and one list of what waits for a supervisor.

Two things wait for a supervisor: an offer above its maker's mandate (a co-sign), and a customer's
request for a manager (an escalation). Both carry a promise the customer reads (the decision, the
manager's contact), so the list is sorted by that promise's date: what the customer waits for longest
comes first. Whether this supervisor can sign is `mandate.cosign_refusal`, the rule the command uses.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Complaint, Offer, Promise, User
from ..states import PromiseState, Status
from . import mandate
from .calendar import BusinessCalendar
from .queue import promise_still_owed, waiting_for_cosign

FIRST_STEPS = ("contact", "passed_on", "answered")  # the first promise of each kind: we reply


@dataclass(frozen=True)
class TeamToday:
    open: int
    at_risk: int  # due within one working day, not overdue yet
    overdue: int
    first_replies_due: int  # a first reply still owed, due by the end of today


@dataclass(frozen=True)
class DeskItem:
    kind: str  # cosign | escalation
    complaint: Complaint
    due_at: datetime | None
    offer: Offer | None = None
    refusal: object = None  # why this supervisor cannot sign (a sentence), or None


def team_today(now: datetime, calendar: BusinessCalendar) -> TeamToday:
    """Open, at risk, overdue and first replies due today, for everyone's open complaints."""
    is_open = Complaint.status.in_(Status.OPEN)

    def count(*conditions) -> int:
        return db.session.scalar(select(func.count(Complaint.id)).where(is_open, *conditions)) or 0

    # "Within one working day" as the queue counts it (due_words): by the close of the next working day.
    next_day = next(calendar.working_days_from(calendar.local_date(now) + timedelta(days=1)))
    soon = calendar.opening_interval(next_day)[1]
    tomorrow = calendar.local_date(now) + timedelta(days=1)
    end_of_today = datetime.combine(tomorrow, time.min, tzinfo=calendar.zone).astimezone(timezone.utc)
    first_due = db.session.scalar(
        select(func.count(func.distinct(Promise.complaint_id))).join(Complaint, Complaint.id == Promise.complaint_id)
        .where(is_open, Complaint.first_reply_at.is_(None), Promise.key.in_(FIRST_STEPS), promise_still_owed(),
               Promise.due_at < end_of_today)) or 0
    return TeamToday(open=count(), at_risk=count(Complaint.next_due_at >= now, Complaint.next_due_at <= soon),
                     overdue=count(Complaint.next_due_at < now), first_replies_due=first_due)


def _due(complaint: Complaint, key: str) -> datetime | None:
    dates = [p.due_at for p in complaint.promises if p.key == key and p.state in (PromiseState.OPEN,
                                                                                  PromiseState.MISSED)]
    return min(dates) if dates else None


def desk_items(supervisor: User, now: datetime, calendar: BusinessCalendar) -> list[DeskItem]:
    """Co-signs and escalations as one list, the customer's longest wait first."""
    items = [DeskItem("cosign", offer.complaint, _due(offer.complaint, "decision"), offer,
                      mandate.cosign_refusal(offer, supervisor, calendar, now)) for offer in waiting_for_cosign()]
    escalated = db.session.scalars(
        select(Complaint).where(Complaint.status.in_(Status.OPEN), Complaint.escalated_at.is_not(None),
                                Complaint.escalation_answered_at.is_(None))
        .options(joinedload(Complaint.promises)).order_by(Complaint.escalated_at)).unique().all()
    items += [DeskItem("escalation", complaint, _due(complaint, "manager")) for complaint in escalated]
    far = datetime.max.replace(tzinfo=timezone.utc)
    return sorted(items, key=lambda item: item.due_at or far)
