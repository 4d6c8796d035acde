"""The organisation that runs the portal, and its business calendar."""
from __future__ import annotations

import time
from types import SimpleNamespace

from flask import current_app, g, has_app_context
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import ClosingDay, Organisation
from .calendar import DEFAULT_OPENING_HOURS, BusinessCalendar

DEFAULTS = dict(
    name="Gehoord",
    timezone="Europe/Amsterdam",
    holiday_country="NL",
    liberation_day_every_year=True,
    max_handling_weeks=6,
    contact_email="klantenservice@gehoord.example",
    contact_phone="020 123 4567",
    contact_postal="Postbus 1234, 1000 AB Amsterdam",
    ombudsman_name="De Geschillencommissie",
    ombudsman_url="https://www.degeschillencommissie.nl/",
)
# How long a page may show settings read earlier. A change made in this process is seen at once
# (the cache is emptied when it is committed); another app server sees it within this time.
SNAPSHOT_SECONDS = 10.0


def get_organisation() -> Organisation:
    """The organisation row, created with defaults the first time it is asked for."""
    if has_app_context() and "organisation" in g:
        return g.organisation
    organisation = db.session.scalar(select(Organisation).order_by(Organisation.id).limit(1))
    if organisation is None:
        organisation = Organisation(opening_hours=dict(DEFAULT_OPENING_HOURS), **DEFAULTS)
        db.session.add(organisation)
        db.session.flush()
    if has_app_context():
        g.organisation = organisation
    return organisation


def get_calendar() -> BusinessCalendar:
    """The organisation's business calendar (from the settings snapshot below)."""
    if not has_app_context():
        return BusinessCalendar.for_organisation(get_organisation())
    return organisation_snapshot().calendar


def organisation_snapshot() -> SimpleNamespace:
    """A read-only copy of the organisation's settings, with its business calendar as `.calendar`.

    Every page shows the organisation's name and contact channels and dates in its time zone, and
    every filing needs the calendar: a copy kept for a few seconds spares each of them a query (and
    the calendar its work). A change made in this process empties it at once; other app servers
    see a change within SNAPSHOT_SECONDS (docs/deploy.md).
    """
    cache = current_app.extensions.setdefault("gehoord.organisation", {})
    snapshot = cache.get("snapshot")
    if snapshot is None or cache.get("expires", 0.0) < time.monotonic():
        organisation = get_organisation()
        columns = {attr.key: getattr(organisation, attr.key) for attr in inspect(Organisation).column_attrs}
        closing_days = tuple(SimpleNamespace(day=c.day, closed_from=c.closed_from, reason=getattr(c, "reason", None))
                             for c in organisation.closing_days)
        snapshot = SimpleNamespace(**columns, closing_days=closing_days,
                                   calendar=BusinessCalendar.for_organisation(organisation),
                                   # What pages built from it share (portal/page_cache.py).
                                   fingerprint=hash(repr((sorted(columns.items()), closing_days))))
        cache.update(snapshot=snapshot, expires=time.monotonic() + SNAPSHOT_SECONDS)
    return snapshot


def forget_organisation_snapshot(app=None) -> None:
    (app or current_app).extensions.get("gehoord.organisation", {}).clear()


@event.listens_for(Session, "after_flush")
def _note_organisation_change(session, _flush_context) -> None:
    # Emptied at the flush (the same request then reads its own change) and again at the commit
    # (another request may have filled it in between, from the row as it was before).
    if any(isinstance(obj, (Organisation, ClosingDay)) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info["organisation_changed"] = True
        if has_app_context():
            forget_organisation_snapshot()


@event.listens_for(Session, "after_commit")
def _forget_changed_organisation(session) -> None:
    if session.info.pop("organisation_changed", False) and has_app_context():
        forget_organisation_snapshot()
