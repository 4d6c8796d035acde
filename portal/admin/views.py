"""Admin pages. Only admins reach them (the role check is on every route)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l, ngettext
from flask_login import current_user
from sqlalchemy import select

from ..agent.views import role_required
from ..extensions import db
from ..models import AuditEvent, Category, Complaint, PromiseTimeline, utcnow
from ..services import promise_editor as editor
from ..services import timelines
from ..services.organisation import get_calendar, get_organisation, organisation_snapshot
from . import bp
from .forms import TimelineForm

KINDS = ("complaint", "compliment", "suggestion")


def _category_or_general(kind: str, category: str):
    if kind not in KINDS:
        abort(404)
    if category == "general":
        return None
    found = db.session.scalar(select(Category).where(Category.slug == category))
    if found is None or kind != "complaint":
        abort(404)
    return found


@bp.route("/")
@role_required("admin")
def home():
    return redirect(url_for("admin.timelines_page"))


@bp.route("/timelines")
@role_required("admin")
def timelines_page():
    categories = db.session.scalars(select(Category).order_by(Category.position)).all()
    rows = [(kind, None, timelines.current_timeline(kind, None)) for kind in KINDS]
    rows += [("complaint", c, timelines.current_timeline("complaint", c.id)) for c in categories]
    return render_template("admin/timelines.html", rows=rows)


def _steps_from(form: TimelineForm) -> list[dict]:
    return [{name: entry.form[name].data for name in editor.STEP_FIELDS} for entry in form.steps]


def _form_for(steps: list[dict]) -> TimelineForm:
    form = TimelineForm(formdata=None)
    for step in steps:
        form.steps.append_entry(step)
    return form


@bp.route("/timelines/<kind>/<category>", methods=["GET", "POST"])
@role_required("admin")
def edit_timeline(kind, category):
    category_row = _category_or_general(kind, category)
    category_id = category_row.id if category_row else None
    calendar, organisation = get_calendar(), get_organisation()
    current = timelines.current_timeline(kind, category_id)
    if request.method == "GET":
        form = _form_for(editor.steps_of(current) if current else [])
    else:
        form = TimelineForm()
        form.validate()  # numbers that are not numbers come back empty; the check below says so
        csrf_failed = bool(getattr(form, "csrf_token", None) and form.csrf_token.errors)
        if csrf_failed:
            flash(_l("This form was open too long. Your changes are below: save again."), "error")
        steps = _steps_from(form)
        action = request.form.get("action", "preview")
        if action == "add":
            steps.append(dict(key="", offset_amount=None, offset_unit="working_days", relative_to="filing"))
        elif action.startswith(("remove-", "up-", "down-")):
            verb, _, index = action.partition("-")
            index = int(index) if index.isdigit() else -1
            if 0 <= index < len(steps):
                if verb == "remove":
                    steps.pop(index)
                elif verb == "up" and index > 0:
                    steps[index - 1], steps[index] = steps[index], steps[index - 1]
                elif verb == "down" and index < len(steps) - 1:
                    steps[index + 1], steps[index] = steps[index], steps[index + 1]
        elif action == "save" and not csrf_failed:
            result = editor.check(steps, calendar, organisation.max_handling_weeks)
            if not result.blocks_saving:
                timeline = editor.save(kind, category_id, steps, current_user, calendar,
                                       organisation.max_handling_weeks)
                flash(_l("Saved as version %(version)s. It applies to complaints filed from now on; "
                         "complaints filed before keep their promises.", version=timeline.version), "success")
                return redirect(url_for("admin.edit_timeline", kind=kind, category=category))
            flash(_l("Not saved yet: fix the points marked below."), "error")
        form = _form_for(steps)
    steps = _steps_from(form)
    now = utcnow()
    friday = editor.holiday_friday(calendar, now)
    return render_template(
        "admin/timeline_edit.html", form=form, kind=kind, category=category_row, slug=category,
        check=editor.check(steps, calendar, organisation.max_handling_weeks, now),
        preview_now=editor.preview(steps, now, calendar), now=now,
        preview_friday=editor.preview(steps, friday, calendar), friday=friday,
        versions=editor.versions(kind, category_id), max_weeks=organisation.max_handling_weeks)


@bp.route("/timelines/versions/<int:timeline_id>")
@role_required("admin")
def timeline_version(timeline_id):
    timeline = db.get_or_404(PromiseTimeline, timeline_id)
    older = db.session.scalar(
        select(PromiseTimeline).where(PromiseTimeline.kind == timeline.kind,
                                      PromiseTimeline.category_id.is_(None) if timeline.category_id is None
                                      else PromiseTimeline.category_id == timeline.category_id,
                                      PromiseTimeline.version < timeline.version)
        .order_by(PromiseTimeline.version.desc()).limit(1))
    return render_template("admin/timeline_version.html", timeline=timeline, older=older,
                           diff=editor.difference(older, timeline))


@bp.route("/timelines/versions/<int:timeline_id>/restore", methods=["POST"])
@role_required("admin")
def restore_timeline(timeline_id):
    timeline = db.get_or_404(PromiseTimeline, timeline_id)
    organisation = get_organisation()
    try:
        new = editor.restore(timeline, current_user, get_calendar(), organisation.max_handling_weeks)
    except ValueError:
        flash(_l("This version cannot come back as it is: open it in the editor and fix it."), "error")
    else:
        flash(_l("Version %(old)s is back, as version %(new)s.", old=timeline.version, new=new.version), "success")
    slug = timeline.category.slug if timeline.category else "general"
    return redirect(url_for("admin.edit_timeline", kind=timeline.kind, category=slug))


@bp.route("/audit")
@role_required("admin")
def audit_page():
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(200)).all()
    return render_template("admin/audit.html", events=events)


@bp.app_template_global()
def unit_words(unit: str) -> str:
    from .forms import UNIT_CHOICES

    return str(dict(UNIT_CHOICES).get(unit, unit))


@bp.app_template_global()
def opening_hours_words() -> list[str]:
    """The opening hours in the reader's language, like 'Monday to Friday, 9:00 to 17:00' (for the help)."""
    from babel.dates import get_day_names
    from flask_babel import gettext

    from ..formatting import current_language
    from ..services.calendar import opening_groups

    # Kept with the settings snapshot (it goes when they change): every page's help shows them.
    snapshot = organisation_snapshot()
    memo = snapshot.__dict__.setdefault("opening_hours_words", {})
    language = current_language()
    if language in memo:
        return memo[language]
    names = get_day_names("wide", locale=language)

    def clock(value: str) -> str:
        hours, minutes = value.split(":")
        return gettext("%(hours)s:%(minutes)s", hours=int(hours), minutes=minutes)

    words = []
    for first, last, opens, closes in opening_groups(snapshot.calendar.opening_hours):
        if first == last:
            words.append(gettext("%(day)s, %(opens)s to %(closes)s", day=names[first],
                                 opens=clock(opens), closes=clock(closes)))
        else:
            words.append(gettext("%(first)s to %(last)s, %(opens)s to %(closes)s", first=names[first],
                                 last=names[last], opens=clock(opens), closes=clock(closes)))
    memo[language] = words
    return words


@bp.app_template_global()
def user_name(user_id: int) -> str:
    from ..models import User

    user = db.session.get(User, user_id)
    return user.name if user else ""


# --- organisation, calendar, categories, people, improvements ------------------------------------

from datetime import timedelta  # noqa: E402

from ..models import ClosingDay, Improvement, User  # noqa: E402
from ..services import settings  # noqa: E402
from ..services.people import PersonError, create_user  # noqa: E402
from .forms import (CalendarForm, CategoryForm, ClosingDayForm, ImprovementForm, NewPersonForm,  # noqa: E402
                    OrganisationForm, PersonForm)


def _field_error(form, error: settings.SettingError, fallback: str):
    for name, message in error.problems:
        field = getattr(form, name or "", None) or getattr(form, fallback)
        field.errors = list(field.errors) + [message]


def _text_warnings(form, fields) -> list:
    """Jargon and long sentences in the texts of this form: they warn, they do not stop the saving."""
    values = {name: form[name].data for name in fields}
    return [(form[name].label.text, settings.finding_message(finding))
            for name, finding in settings.text_findings(values, fields) if finding.severity != "error"]


def _flash_warnings(warnings) -> None:
    for label, message in warnings:
        flash(_l("%(field)s: %(message)s", field=label, message=message), "info")


@bp.route("/organisation", methods=["GET", "POST"])
@role_required("admin")
def organisation_page():
    organisation = get_organisation()
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        try:
            settings.update_organisation(current_user,
                                         {name: form[name].data for name in settings.ORGANISATION_FIELDS})
        except settings.SettingError as error:
            _field_error(form, error, "name")
        else:
            flash(_l("Saved."), "success")
            return redirect(url_for("admin.organisation_page"))
    return render_template("admin/organisation.html", form=form), 200 if not form.errors else 400


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
                holiday_subdiv=form.holiday_subdiv.data, liberation_day_every_year=form.liberation_day_every_year.data == "yes",
                opening_hours={str(weekday): form[f"hours_{weekday}"].data for weekday in range(7)}))
        except settings.SettingError as error:
            _field_error(form, error, "timezone")
        else:
            flash(_l("Saved. Promises already made keep their dates."), "success")
            return redirect(url_for("admin.calendar_page"))
    calendar = get_calendar()
    today = calendar.local_date(utcnow())
    upcoming, day = [], today
    while len(upcoming) < 10:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            upcoming.append(day)
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
        except settings.SettingError as error:
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
    settings.remove_closing_day(current_user, db.get_or_404(ClosingDay, closing_id))
    return redirect(url_for("admin.calendar_page") + "#closing-days")


@bp.route("/categories")
@role_required("admin")
def categories_page():
    categories = db.session.scalars(select(Category).order_by(Category.position)).all()
    return render_template("admin/categories.html", categories=categories)


@bp.route("/categories/new", methods=["GET", "POST"], defaults={"slug": None})
@bp.route("/categories/<slug>", methods=["GET", "POST"])
@role_required("admin")
def category_page(slug):
    category = None
    if slug is not None:
        category = db.session.scalar(select(Category).where(Category.slug == slug))
        if category is None:
            abort(404)
    form = CategoryForm(obj=category)
    warnings = []
    if request.method == "GET":
        form.active.data = "no" if category is not None and not category.active else "yes"
    elif form.validate_on_submit():
        values = {name: form[name].data for name in settings.CATEGORY_FIELDS if name != "active"}
        values["active"] = form.active.data != "no"
        warnings = _text_warnings(form, settings.CATEGORY_TEXT_FIELDS)
        try:
            settings.save_category(current_user, category, values)
        except settings.SettingError as error:
            _field_error(form, error, "name_nl")
        else:
            flash(_l("Saved."), "success")
            _flash_warnings(warnings)
            return redirect(url_for("admin.categories_page"))
    return render_template("admin/category.html", form=form, category=category, warnings=warnings), \
        200 if not form.errors else 400


@bp.route("/people")
@role_required("admin")
def people_page():
    people = db.session.scalars(select(User).order_by(User.active.desc(), User.name)).all()
    return render_template("admin/people.html", people=people)


@bp.route("/people/new", methods=["GET", "POST"])
@role_required("admin")
def new_person():
    form = NewPersonForm()
    if request.method == "GET":
        form.role.data, form.active.data, form.mandate.data, form.budget.data = "agent", "yes", 0, 0
    elif form.validate_on_submit():
        try:
            person = create_user(email=form.email.data, name=form.name.data, password=form.password.data,
                                 role=form.role.data, mandate_per_complaint_cents=form.mandate.data * 100,
                                 monthly_budget_cents=form.budget.data * 100)
        except PersonError:
            form.email.errors.append(_l("There is already someone with this email address"))
        else:
            settings.audit(current_user, "person_created", person.email,
                           after=dict(role=person.role, mandate=person.mandate_per_complaint_cents))
            flash(_l("%(name)s can log in now.", name=person.name), "success")
            return redirect(url_for("admin.people_page"))
    return render_template("admin/person.html", form=form, person=None), 200 if not form.errors else 400


@bp.route("/people/<int:person_id>", methods=["GET", "POST"])
@role_required("admin")
def person_page(person_id):
    person = db.get_or_404(User, person_id)
    form = PersonForm()
    if request.method == "GET":
        form.role.data, form.active.data = person.role, "yes" if person.active else "no"
        form.mandate.data = person.mandate_per_complaint_cents // 100
        form.budget.data = person.monthly_budget_cents // 100
    elif form.validate_on_submit():
        try:
            settings.update_person(current_user, person, role=form.role.data,
                                   mandate_per_complaint_cents=form.mandate.data * 100,
                                   monthly_budget_cents=form.budget.data * 100, active=form.active.data == "yes")
        except settings.SettingError as error:
            _field_error(form, error, "role")
        else:
            flash(_l("Saved."), "success")
            return redirect(url_for("admin.people_page"))
    return render_template("admin/person.html", form=form, person=person,
                           open_count=settings.open_complaints_owned_by(person)), 200 if not form.errors else 400


@bp.route("/improvements")
@role_required("supervisor")
def improvements_page():
    improvements = db.session.scalars(select(Improvement).order_by(Improvement.id.desc())).all()
    return render_template("admin/improvements.html", improvements=improvements)


@bp.route("/improvements/new", methods=["GET", "POST"], defaults={"improvement_id": None})
@bp.route("/improvements/<int:improvement_id>", methods=["GET", "POST"])
@role_required("supervisor")
def improvement_page(improvement_id):
    improvement = db.get_or_404(Improvement, improvement_id) if improvement_id else None
    form = ImprovementForm(obj=improvement)
    warnings = []
    if request.method == "GET" and improvement is not None:
        form.references.data = " ".join(link.complaint.reference for link in improvement.links)
    if form.validate_on_submit():
        references = [r for r in (form.references.data or "").replace(",", " ").split() if r]
        values = {name: form[name].data for name in ("title_nl", "title_en", "body_nl", "body_en", "since")}
        warnings = _text_warnings(form, settings.IMPROVEMENT_TEXT_FIELDS)
        try:
            saved = settings.save_improvement(current_user, improvement, values, references)
        except settings.SettingError as error:
            _field_error(form, error, "references")
        else:
            improvement = saved.improvement
            if improvement.published_at is None and request.form.get("action") == "publish":
                mailed = settings.publish_improvement(current_user, improvement)
                flash(_l("Published. %(n)s customers get a mail.", n=mailed), "success")
            elif improvement.published_at is None:
                flash(_l("Saved. It is not public yet."), "success")
            elif saved.mailed:
                flash(ngettext("Saved. It is public: %(num)s more customer gets a mail.",
                               "Saved. It is public: %(num)s more customers get a mail.", saved.mailed), "success")
            else:
                flash(_l("Saved. It is public."), "success")
            if saved.kept:
                flash(_l("These complaints stay linked, because their customer got the mail already: %(refs)s.",
                         refs=" ".join(saved.kept)), "info")
            _flash_warnings(warnings)
            return redirect(url_for("admin.improvements_page"))
    return render_template("admin/improvement.html", form=form, improvement=improvement, warnings=warnings), \
        200 if not form.errors else 400


@bp.app_template_global()
def role_words(role: str) -> str:
    from .forms import ROLE_CHOICES

    return str(dict(ROLE_CHOICES).get(role, role))


# --- privacy: erasure on the customer's request --------------------------------------------------

from ..services import privacy  # noqa: E402

STATUS_WORDS = {
    "received": _l("Received"), "in_progress": _l("In progress"), "proposal_made": _l("Proposal made"),
    "resolved": _l("Resolved"), "closed": _l("Closed"), "withdrawn": _l("Withdrawn"),
}


@bp.app_template_global()
def admin_status_words(status: str) -> str:
    return str(STATUS_WORDS.get(status, status))


@bp.route("/erasure")
@role_required("admin")
def erasure_page():
    return render_template("admin/erasure.html", requests=privacy.erasure_requests())


@bp.route("/erasure/<int:complaint_id>/confirm", methods=["POST"])
@role_required("admin")
def confirm_erasure(complaint_id):
    complaint = db.get_or_404(Complaint, complaint_id)
    if complaint.erasure_requested_at is None or complaint.anonymised_at is not None:
        abort(404)
    privacy.confirm_erasure(complaint, current_user, utcnow())
    flash(_l("The personal data of %(ref)s is erased. The numbers for reports stay.", ref=complaint.reference),
          "success")
    return redirect(url_for("admin.erasure_page"))
