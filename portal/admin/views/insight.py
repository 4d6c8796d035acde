"""What insight assumes: the handling cost and the charter's targets (services/insight.py)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from charter.indicators import INDICATORS
from ...access import role_required
from ...i18n import lazy_gettext as _l
from ...services import insight
from ...services.errors import DomainError
from ...services.organisation import get_organisation
from .. import bp


def _shown(indicator, value: float) -> str:
    number = value * 100 if indicator.unit == "share" else value
    return f"{number:g}"


@bp.route("/insight", methods=["GET", "POST"])
@role_required("admin")
def insight_settings():
    organisation = get_organisation()
    form = FlaskForm()
    problems = []
    if request.method == "POST" and form.validate_on_submit():
        try:
            insight.update_settings(current_user, request.form)
        except DomainError as error:
            problems = error.problems
        else:
            flash(_l("Saved."), "success")
            return redirect(url_for("admin.insight_settings"))
    elif request.method == "POST":
        problems = [("cost_per_hour", _l("The form was open too long. Send it again."))]
    typed = request.form if request.method == "POST" else {
        "cost_per_hour": f"{organisation.handling_cost_per_hour_cents / 100:.2f}".replace(".", ",")
        if organisation.handling_cost_per_hour_cents else "",
        "minutes_per_complaint": str(organisation.handling_minutes_per_complaint or 60),
        **{f"target_{i.key}": _shown(i, insight.target_of(i)) for i in INDICATORS}}
    return render_template("admin/insight.html", form=form, typed=typed, indicators=INDICATORS,
                           page_errors=problems, field_errors=dict(problems)), 400 if problems else 200
