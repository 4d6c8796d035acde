"""The admin audit: who changed which setting, when, with the value before and after."""
from __future__ import annotations

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
