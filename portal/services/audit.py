"""The admin audit: who changed which setting, when, with the value before and after."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import AuditEvent, User, utcnow


def snapshot(row, fields) -> dict:
    """The values of these fields of a row, as an audit event keeps them."""
    return {name: getattr(row, name) for name in fields}


def audit(user: User | None, action: str, subject: str, before=None, after=None) -> AuditEvent:
    event = AuditEvent(user_id=user.id if user else None, action=action, subject=subject,
                       before=before, after=after, created_at=utcnow())
    db.session.add(event)
    return event


AUDIT_PAGE_SIZE = 200


@dataclass(frozen=True)
class AuditFilter:
    """What the admin asked to see: one person, one action, a period (days in the organisation's zone)."""

    person_id: int | None = None
    action: str | None = None
    since: datetime | None = None
    before: datetime | None = None  # the start of the day after the last day asked for


def audit_events(wanted: AuditFilter, page: int = 1) -> tuple[list[AuditEvent], bool]:
    """One page of events, newest first, and whether there is an older page."""
    query = select(AuditEvent).options(joinedload(AuditEvent.user))
    if wanted.person_id:
        query = query.where(AuditEvent.user_id == wanted.person_id)
    if wanted.action:
        query = query.where(AuditEvent.action == wanted.action)
    if wanted.since:
        query = query.where(AuditEvent.created_at >= wanted.since)
    if wanted.before:
        query = query.where(AuditEvent.created_at < wanted.before)
    rows = db.session.scalars(query.order_by(AuditEvent.id.desc())
                              .limit(AUDIT_PAGE_SIZE + 1).offset((max(page, 1) - 1) * AUDIT_PAGE_SIZE)).all()
    return rows[:AUDIT_PAGE_SIZE], len(rows) > AUDIT_PAGE_SIZE


def audit_actions() -> list[str]:
    """Every action that happened at least once (the choices of the filter)."""
    return list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
