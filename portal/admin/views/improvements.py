""""You said, we did": improvements, the complaints that led to them, and the mail to their customers."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from ...i18n import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from ...access import role_required
from ...extensions import db
from ...models import Improvement
from ...services import improvements as settings
from ...services.errors import DomainError
from .. import bp
from ..forms import ImprovementForm
from ._shared import _field_error, _flash_warnings, _text_warnings


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
        except DomainError as error:
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
