"""The agents' queue: complaints ordered by the first open promise at risk (overdue first)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Complaint, Offer, Promise, User, utcnow
from ..states import Kind, OfferState, PromiseState, Status

FILTERS = ("open", "mine", "unassigned", "overdue", "escalated", "attention", "all")
PER_PAGE = 25


@dataclass(frozen=True)
class QueueView:
    """A view of the queue: which complaints, of which category and kind. It travels in the query
    string (a saved view stores it; the complaint page keeps it, for "next complaint")."""

    view: str = "open"
    category_id: int | None = None
    kind: str | None = None

    @classmethod
    def from_args(cls, args) -> QueueView:
        """From a request's query string; a value that cannot be meant gives the default (a link from
        a page, not something a person typed)."""
        view = args.get("view") if args.get("view") in FILTERS else "open"
        category = args.get("category", "")
        kind = args.get("kind") if args.get("kind") in Kind._value2member_map_ else None
        return cls(view, int(category) if category.isdigit() and len(category) < 10 else None, kind)

    def args(self) -> dict:
        """The query string's values, only those that differ from the default."""
        found = {"view": self.view if self.view != "open" else None, "category": self.category_id,
                 "kind": self.kind}
        return {name: value for name, value in found.items() if value is not None}


@dataclass(frozen=True)
class QueueRow:
    complaint: Complaint
    next_due: datetime | None
    next_label_nl: str | None
    next_label_en: str | None
    next_key: str | None = None


def visible_complaints(user: User):
    """Every complaint this person may find, in the queue or in the search.

    Today that is every complaint for everyone who works them (the door checks the role); a rule
    that shuts some away (a team, a category) belongs here, so the queue and the search keep it alike.
    """
    return select(Complaint)


def queue(user: User, view: str = "open", category_id: int | None = None, kind: str | None = None,
          page: int = 1, now: datetime | None = None, behind=None):
    """One page of the queue, plus the total. Three queries, whatever the number of rows.
    `behind`: (insight.Period, insight.Filters), the complaints behind a figure on the insight pages.

    Sorted on `Complaint.next_due_at` (the earliest open promise, kept on the complaint by a flush
    hook), so a page reads the index in order instead of grouping every promise of every complaint.
    """
    now = now or utcnow()
    query = _in_view(user, QueueView(view, category_id, kind), now)
    if behind is not None:  # the complaints behind a figure of insight: filed in its period, its filters
        period, filters = behind
        query = filters.apply(query.where(period.contains(Complaint.created_at)))
    total = db.session.scalar(query.with_only_columns(func.count(Complaint.id)))
    complaints = db.session.scalars(
        query.options(joinedload(Complaint.category), joinedload(Complaint.owner))
        .order_by(*QUEUE_ORDER).limit(PER_PAGE).offset((max(page, 1) - 1) * PER_PAGE)).all()
    # The words of each row's next promise: the one still owed (open, or missed and not done yet) due
    # at the complaint's next_due_at (models.still_owed).
    labels = {}
    if complaints:
        for complaint_id, _due_at, label_nl, label_en, key in db.session.execute(
                select(Promise.complaint_id, Promise.due_at, Promise.label_nl, Promise.label_en, Promise.key)
                .where(Promise.complaint_id.in_([c.id for c in complaints]), promise_still_owed())
                .order_by(Promise.due_at, Promise.position)):
            labels.setdefault(complaint_id, (label_nl, label_en, key))
    return [QueueRow(c, c.next_due_at, *labels.get(c.id, (None, None, None))) for c in complaints], total


def promise_still_owed():
    """`models.still_owed` as SQL: open, or missed and neither done late nor given a new date."""
    return or_(Promise.state == PromiseState.OPEN,
               and_(Promise.state == PromiseState.MISSED, Promise.kept_at.is_(None), Promise.moved_at.is_(None)))


QUEUE_ORDER = (Complaint.next_due_at.asc().nulls_last(), Complaint.id)


def _in_view(user: User, wanted: QueueView, now: datetime):
    view, category_id, kind = wanted.view, wanted.category_id, wanted.kind
    query = visible_complaints(user)
    if view == "attention":
        query = query.where(Complaint.status.in_(Status.MAY_NEED_ATTENTION))
    elif view != "all":
        query = query.where(Complaint.status.in_(Status.OPEN))
    if view == "mine":
        query = query.where(Complaint.owner_id == user.id)
    elif view == "unassigned":
        query = query.where(Complaint.owner_id.is_(None))
    elif view == "overdue":
        query = query.where(Complaint.next_due_at < now)
    elif view == "escalated":  # the supervisors' task list: a customer asked for a manager, unanswered
        query = query.where(Complaint.escalated_at.is_not(None), Complaint.escalation_answered_at.is_(None))
    elif view == "attention":
        query = query.where(Complaint.attention_at.is_not(None), Complaint.owner_id == user.id)
    if category_id:
        query = query.where(Complaint.category_id == category_id)
    if kind:
        query = query.where(Complaint.kind == kind)
    return query


def neighbours(user: User, wanted: QueueView, complaint: Complaint,
               now: datetime | None = None) -> tuple[Complaint | None, Complaint | None]:
    """The complaints before and after this one in the queue's order, in this view ("next complaint").

    Found from this complaint's place in the order (its next promise's date, then its id), so it
    works when the complaint has just left the view (claimed from "Unassigned", say): the next one
    is the one that followed it.
    """
    query = _in_view(user, wanted, now or utcnow())
    due, cid, next_due = complaint.next_due_at, complaint.id, Complaint.next_due_at

    def first(*conditions_and_order):
        *conditions, order = conditions_and_order
        return db.session.scalars(query.where(*conditions).order_by(*order).limit(1)).first()

    # Each step a plain range on the (next_due_at, id) order, so every query reads the index in order;
    # an OR of them would read the whole view.
    if due is None:
        following = first(next_due.is_(None), Complaint.id > cid, [Complaint.id])
        preceding = (first(next_due.is_(None), Complaint.id < cid, [Complaint.id.desc()])
                     or first(next_due.is_not(None), [next_due.desc(), Complaint.id.desc()]))
    else:
        following = (first(next_due == due, Complaint.id > cid, [Complaint.id])
                     or first(next_due > due, [next_due, Complaint.id])
                     or first(next_due.is_(None), [Complaint.id]))
        preceding = (first(next_due == due, Complaint.id < cid, [Complaint.id.desc()])
                     or first(next_due < due, [next_due.desc(), Complaint.id.desc()]))
    return preceding, following


def waiting_for_cosign() -> list[Offer]:
    """Offers above an agent's mandate, oldest first, for the supervisors' queue."""
    return db.session.scalars(
        select(Offer).where(Offer.state == OfferState.WAITING_COSIGN)
        .options(joinedload(Offer.complaint).selectinload(Complaint.promises), joinedload(Offer.made_by))
        .order_by(Offer.made_at)).all()
