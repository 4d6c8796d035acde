"""Promise-timelines: each kind's and category's steps, edited with a preview of real dates; versions."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from ...i18n import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from ...access import role_required
from ...extensions import db
from ...formatting import current_language
from ...models import Category, PromiseTimeline, utcnow
from ...services import promise_editor as editor
from ...services import timelines
from ...services.errors import DomainError
from ...services.organisation import get_calendar, get_organisation
from ...states import Kind
from .. import bp
from ..forms import TimelineForm

KINDS = tuple(Kind)


def _category_or_general(kind: str, category: str):
    if kind not in KINDS:
        abort(404)
    if category == "general":
        return None
    found = db.session.scalar(select(Category).where(Category.slug == category))
    if found is None or kind != "complaint":
        abort(404)
    return found


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
            editor.with_keys(steps)
            result = editor.check(steps, calendar, organisation.max_handling_weeks)
            if not result.blocks_saving:
                timeline = editor.save(kind, category_id, steps, current_user, calendar,
                                       organisation.max_handling_weeks)
                if timeline is None:
                    flash(_l("Nothing changed, so no new version was made."), "success")
                    return redirect(url_for("admin.edit_timeline", kind=kind, category=category))
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
                           changes=editor.changes_in_words(older, timeline, current_language()))


@bp.route("/timelines/versions/<int:timeline_id>/restore", methods=["POST"])
@role_required("admin")
def restore_timeline(timeline_id):
    timeline = db.get_or_404(PromiseTimeline, timeline_id)
    organisation = get_organisation()
    try:
        new = editor.restore(timeline, current_user, get_calendar(), organisation.max_handling_weeks)
    except DomainError as error:
        flash(error.message, "error")
    else:
        if new is None:
            flash(_l("This version is the current one already, so no new version was made."), "success")
        else:
            flash(_l("Version %(old)s is back, as version %(new)s.", old=timeline.version, new=new.version),
                  "success")
    slug = timeline.category.slug if timeline.category else "general"
    return redirect(url_for("admin.edit_timeline", kind=timeline.kind, category=slug))
