"""How dates, times and money are shown: in the organisation's time zone and the reader's language."""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal, format_percent
from flask import Flask, current_app, request

from charter import RIGHTS

from .i18n import current_locale

DATE_TIME = {"nl": "EEEE d MMMM y, HH:mm", "en": "EEEE d MMMM y, HH:mm"}
DATE = {"nl": "EEEE d MMMM y", "en": "EEEE d MMMM y"}


def current_language() -> str:
    locale = current_locale()
    return locale.language if locale else current_app.config["BABEL_DEFAULT_LOCALE"]


def _zone():
    from .services.organisation import organisation_snapshot

    return organisation_snapshot().calendar.zone


def when(moment: datetime | None) -> str:
    """'dinsdag 24 november 2026, 17:00': weekday, date and time, never relative."""
    if moment is None:
        return ""
    return _when(moment, current_language(), _zone())


@lru_cache(maxsize=4096)
def _when(moment: datetime, language: str, zone) -> str:
    # A page shows the same few moments again and again (and Babel's formatting is not cheap).
    return format_datetime(moment, DATE_TIME[language], tzinfo=zone, locale=language)


def day(moment: datetime | date | None) -> str:
    """'dinsdag 24 november 2026': a moment's day in the organisation's zone, or a plain date."""
    if moment is None:
        return ""
    language = current_language()
    if isinstance(moment, datetime):
        moment = moment.astimezone(_zone()).date()
    return format_date(moment, DATE[language], locale=language)


def money(cents: int | None, currency: str = "EUR") -> str:
    if cents is None:
        return ""
    return format_currency(cents / 100, currency, locale=current_language())


def number(value) -> str:
    return format_decimal(value, locale=current_language())


def percent(share: float | None) -> str:
    """0.925 as '93%' (in the reader's notation); nothing measured is a dash, never a 0%."""
    if share is None:
        return "–"
    return format_percent(share, "#,##0%", locale=current_language())


def localized(obj, field: str) -> str:
    return obj.text(field, current_language()) if obj is not None else ""


def remedy_name(remedy: str) -> str:
    """The words for a remedy (apology, refund, …) in the reader's language."""
    from .services.mandate import REMEDIES

    return str(REMEDIES[remedy]["label"]) if remedy in REMEDIES else remedy


def register(app: Flask) -> None:
    app.jinja_env.filters.update(when=when, day=day, money=money, number=number, percent=percent)
    app.jinja_env.globals.update(localized=localized, current_language=current_language, RIGHTS=RIGHTS,
                                 remedy_name=remedy_name)

    @app.context_processor
    def page_context():
        from sqlalchemy.exc import OperationalError

        from .services.organisation import organisation_snapshot

        try:
            organisation = organisation_snapshot()
        except OperationalError:  # the error page for an unreachable database still renders
            organisation = None
        return dict(organisation=organisation, language=current_language(),
                    here=request.full_path.rstrip("?") if request else "/")
