"""The agents' queue: complaints ordered by the first open promise at risk (overdue first)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Complaint, Grant, Promise, User, utcnow

FILTERS = ("open", "mine", "unassigned", "overdue", "escalated", "attention", "all")
PER_PAGE = 25


@dataclass(frozen=True)
class QueueRow:
    complaint: Complaint
    next_due: datetime | None
    next_label_nl: str | None
    next_label_en: str | None


def next_open_promise():
    """Per complaint: the earliest open promise (its due moment), as a subquery."""
    return (select(Promise.complaint_id, func.min(Promise.due_at).label("next_due"))
            .where(Promise.state == "open").group_by(Promise.complaint_id).subquery())


def queue(user: User, view: str = "open", category_id: int | None = None, kind: str | None = None,
          page: int = 1, now: datetime | None = None):
    """One page of the queue, plus the total. Three queries, whatever the number of rows."""
    now = now or utcnow()
    nxt = next_open_promise()
    first = (select(Promise.complaint_id, Promise.due_at, Promise.label_nl, Promise.label_en)
             .where(Promise.state == "open").subquery())
    query = (select(Complaint, nxt.c.next_due, first.c.label_nl, first.c.label_en)
             .outerjoin(nxt, nxt.c.complaint_id == Complaint.id)
             .outerjoin(first, (first.c.complaint_id == Complaint.id) & (first.c.due_at == nxt.c.next_due))
             .options(joinedload(Complaint.category), joinedload(Complaint.owner)))
    if view != "all":
        query = query.where(Complaint.status.in_(("received", "in_progress", "proposal_made")))
    if view == "mine":
        query = query.where(Complaint.owner_id == user.id)
    elif view == "unassigned":
        query = query.where(Complaint.owner_id.is_(None))
    elif view == "overdue":
        query = query.where(nxt.c.next_due < now)
    elif view == "escalated":
        query = query.where(Complaint.escalated_at.is_not(None))
    elif view == "attention":
        query = query.where(Complaint.attention_at.is_not(None), Complaint.owner_id == user.id)
    if category_id:
        query = query.where(Complaint.category_id == category_id)
    if kind:
        query = query.where(Complaint.kind == kind)
    total = db.session.scalar(select(func.count()).select_from(query.with_only_columns(Complaint.id)
                                                                .distinct().subquery()))
    rows = db.session.execute(
        query.order_by(nxt.c.next_due.is_(None), nxt.c.next_due, Complaint.created_at, Complaint.id)
        .limit(PER_PAGE).offset((max(page, 1) - 1) * PER_PAGE)).unique().all()
    # Two open promises due at the same moment would give a complaint twice: keep the first.
    seen, result = set(), []
    for complaint, next_due, label_nl, label_en in rows:
        if complaint.id not in seen:
            seen.add(complaint.id)
            result.append(QueueRow(complaint, next_due, label_nl, label_en))
    return result, total


def waiting_for_cosign() -> list[Grant]:
    """Offers above an agent's mandate, oldest first, for the supervisors' queue."""
    return db.session.scalars(
        select(Grant).where(Grant.state == "waiting_cosign")
        .options(joinedload(Grant.complaint), joinedload(Grant.granted_by))
        .order_by(Grant.granted_at)).all()
