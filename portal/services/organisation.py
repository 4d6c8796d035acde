"""The organisation that runs the portal, and its business calendar."""
from flask import g, has_app_context
from sqlalchemy import select

from ..extensions import db
from ..models import Organisation
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
    if has_app_context() and "calendar" in g:
        return g.calendar
    calendar = BusinessCalendar.for_organisation(get_organisation())
    if has_app_context():
        g.calendar = calendar
    return calendar
