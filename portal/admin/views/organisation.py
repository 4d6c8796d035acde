"""The organisation's settings and its business calendar (opening hours, holidays, closing days)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from ...i18n import lazy_gettext as _l
from flask_login import current_user

from ...access import role_required
from ...extensions import db
from ...models import ClosingDay, utcnow
from ...services import lifecycle, satisfaction
from ...services import organisation as settings
from ...services.errors import DomainError
from ...services.organisation import get_calendar, get_organisation
from .. import bp
from ..forms import CalendarForm, ClosingDayForm, OrganisationForm
from ...formatting import day as format_day
from ._shared import _ask_first, _confirmed, _field_error


@bp.route("/organisation", methods=["GET", "POST"])
@role_required("admin")
def organisation_page():
    organisation = get_organisation()
    form = OrganisationForm(obj=organisation)
    if request.method == "GET":
        for remedy in form.CARRY_OUT:
            form[f"carry_{remedy}"].data = lifecycle.carry_out_days(remedy)
    if form.validate_on_submit():
        values = {name: form[name].data for name in settings.ORGANISATION_FIELDS if name in form}
        values["carry_out_days"] = {remedy: form[f"carry_{remedy}"].data for remedy in form.CARRY_OUT}
        try:
            settings.update_organisation(current_user, values)
        except DomainError as error:
            _field_error(form, error, "name")
        else:
            flash(_l("Saved."), "success")
            return redirect(url_for("admin.organisation_page"))
    return render_template("admin/organisation.html", form=form,
                           default_survey_sentences=satisfaction.DEFAULT_SENTENCE), 200 if not form.errors else 400


@bp.route("/calendar", methods=["GET", "POST"])
@role_required("admin")
def calendar_page():
    organisation = get_organisation()
    form = CalendarForm()
    closing_form = ClosingDayForm(prefix="closing")
    if request.method == "GET":
        form.timezone.data, form.holiday_country.data = organisation.timezone, organisation.holiday_country
        form.holiday_subdiv.data = organisation.holiday_subdiv
        form.liberation_day_every_year.data = "yes" if organisation.liberation_day_every_year else "no"
        for weekday in range(7):
            hours = (organisation.opening_hours or {}).get(str(weekday))
            form[f"hours_{weekday}"].data = f"{hours[0]}-{hours[1]}" if hours else ""
    elif form.validate_on_submit():
        try:
            settings.update_calendar(current_user, dict(
                timezone=form.timezone.data, holiday_country=form.holiday_country.data,
                holiday_subdiv=form.holiday_subdiv.data,
                liberation_day_every_year=form.liberation_day_every_year.data == "yes",
                opening_hours={str(weekday): form[f"hours_{weekday}"].data for weekday in range(7)}))
        except DomainError as error:
            _field_error(form, error, "timezone")
        else:
            flash(_l("Saved. Promises already made keep their dates."), "success")
            return redirect(url_for("admin.calendar_page"))
    calendar = get_calendar()
    upcoming = calendar.next_working_days(calendar.local_date(utcnow()), 10)
    return render_template("admin/calendar.html", form=form, closing_form=closing_form, upcoming=upcoming,
                           organisation=organisation, calendar=calendar), 200 if not form.errors else 400


@bp.route("/calendar/closing-days", methods=["POST"])
@role_required("admin")
def add_closing_day():
    form = ClosingDayForm(prefix="closing")
    if form.validate_on_submit():
        try:
            settings.add_closing_day(current_user, form.day.data, form.closed_from.data or None, form.reason.data,
                                     get_calendar().local_date(utcnow()))
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_l("Added. Promises already made keep their dates."), "success")
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
    return redirect(url_for("admin.calendar_page") + "#closing-days")


@bp.route("/calendar/closing-days/<int:closing_id>/remove", methods=["POST"])
@role_required("admin")
def remove_closing_day(closing_id):
    closing = db.get_or_404(ClosingDay, closing_id)
    back = url_for("admin.calendar_page") + "#closing-days"
    when = format_day(closing.day)
    if not _confirmed():
        return _ask_first(_l("Remove the closing day %(day)s?", day=when),
                          _l("Promises are then counted with %(day)s as a working day again.", day=when),
                          _l("Yes, remove it"), back)
    settings.remove_closing_day(current_user, closing)
    flash(_l("The closing day %(day)s is removed.", day=when), "success")
    return redirect(back)
