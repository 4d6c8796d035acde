"""Bulk actions on the queue: the same command for each chosen complaint, each on its own.

Each complaint goes through the command any door uses (work.claim, work.hand_over, work.classify), in
its own savepoint: one that cannot be done (closed meanwhile, owned by someone else) is left as it
was and reported with its reason, and the others are done. The result is one summary, like
"12 handed over, 1 not: closed meanwhile".
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import g, has_app_context
from sqlalchemy import select

from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..models import Complaint, User
from . import work
from .errors import DomainError

ACTIONS = ("claim", "hand_over", "classify")
MOST_AT_ONCE = 100  # four pages of the queue; more at once is a mistake more often than a plan


class BulkError(DomainError):
    """The bulk action as a whole cannot start (nothing chosen, an unknown action)."""


@dataclass
class BulkResult:
    action: str
    done: list[str] = field(default_factory=list)  # references
    not_done: list[tuple[str, object]] = field(default_factory=list)  # (reference, why)


@contextmanager
def on_its_own():
    """Run one complaint's command in a savepoint: a refusal undoes only that complaint's changes,
    and does not mark the whole request as refused (services/errors.py), so the others are kept."""
    refused_before = g.get("domain_error") if has_app_context() else None
    savepoint = db.session.begin_nested()
    try:
        yield
    except DomainError:
        savepoint.rollback()
        if has_app_context():
            g.domain_error = refused_before
        raise
    else:
        savepoint.commit()


def apply(action: str, complaint_ids: list[int], actor: User, *, to: User | None = None, note: str = "",
          handled_as: str = "", root_cause: str = "", chance_to_improve: bool = False,
          improvement_note: str = "") -> BulkResult:
    """Do `action` for each complaint; refusals are collected, not raised."""
    if action not in ACTIONS:
        raise BulkError(_l("Choose what to do with the chosen complaints."), "action")
    ids = list(dict.fromkeys(complaint_ids))
    if not ids:
        raise BulkError(_l("Choose one or more complaints first: tick the box in front of each."), "ids")
    if len(ids) > MOST_AT_ONCE:
        raise BulkError(_l("Choose at most %(n)s complaints at once.", n=MOST_AT_ONCE), "ids")
    if action == "hand_over" and (to is None or not note.strip()):
        raise BulkError(_l("Choose a colleague and write a note for them: what they need to know."), "to")
    if action == "classify" and not (handled_as and root_cause):
        raise BulkError(_l("Choose what it was and what caused it."), "handled_as")
    complaints = db.session.scalars(select(Complaint).where(Complaint.id.in_(ids)).order_by(Complaint.id)).all()
    result = BulkResult(action)
    for complaint in complaints:
        try:
            with on_its_own():
                if action == "claim":
                    work.claim(complaint, actor)
                elif action == "hand_over":
                    work.hand_over(complaint, actor, to, note)
                else:
                    work.classify(complaint, actor, handled_as=handled_as, root_cause=root_cause,
                                  chance_to_improve=chance_to_improve, improvement_note=improvement_note)
        except DomainError as error:
            result.not_done.append((complaint.reference, error.message))
        else:
            result.done.append(complaint.reference)
    return result
