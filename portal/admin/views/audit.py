"""The admin audit: what changed, by whom, when; filtered by person, action and period, in pages."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from flask import render_template, request
from sqlalchemy import select

from ...access import role_required
from ...extensions import db
from ...i18n import lazy_gettext as _l
from ...models import User
from ...services.audit import AuditFilter, audit_actions, audit_events
from ...services.organisation import get_calendar
from .. import bp


def _day(name: str, errors: dict) -> date | None:
    value = (request.args.get(name) or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors[name] = _l("Enter a date like 2026-12-31")
        return None


def _start_of(day: date | None) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, time.min, tzinfo=get_calendar().zone).astimezone(timezone.utc)


@bp.route("/audit")
@role_required("admin")
def audit_page():
    errors: dict = {}
    person_id = request.args.get("person", type=int)
    action = request.args.get("action") or None
    first, last = _day("from", errors), _day("to", errors)
    if first and last and last < first:
        errors["to"] = _l("Enter an end date on or after the start date")
    page = max(request.args.get("page", 1, type=int), 1)
    wanted = AuditFilter(person_id=person_id, action=action, since=_start_of(first),
                         before=_start_of(last + timedelta(days=1)) if last else None)
    events, older = audit_events(wanted, page) if not errors else ([], False)
    people = db.session.scalars(select(User).order_by(User.name)).all()
    arguments = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("admin/audit.html", events=events, people=people, actions=audit_actions(),
                           errors=errors, page=page, older=older, arguments=arguments,
                           person_id=person_id, action=action)
