"""Erasure on the customer's request: an admin confirms it."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from ...i18n import lazy_gettext as _l
from flask_login import current_user

from ...access import role_required
from ...extensions import db
from ...models import Complaint, utcnow
from ...services import privacy
from .. import bp


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
