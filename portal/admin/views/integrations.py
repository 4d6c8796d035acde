"""Integrations: other systems that use the API (services/integrations.py), and the API's docs."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from ...access import role_required
from ...extensions import db
from ...i18n import lazy_gettext as _l
from ...models import Integration
from ...services import integrations
from ...services.errors import DomainError
from .. import bp


@bp.route("/integrations", methods=["GET", "POST"])
@role_required("admin")
def integrations_page():
    form = FlaskForm()
    problems, token, made = [], None, None
    if request.method == "POST" and form.validate_on_submit():
        try:
            made, token = integrations.create_integration(current_user, request.form.get("name", ""),
                                                          request.form.getlist("scopes"))
        except DomainError as error:
            problems = error.problems
    return render_template("admin/integrations.html", form=form, integrations=integrations.integrations(),
                           scopes=integrations.SCOPES, token=token, made=made, page_errors=problems,
                           field_errors=dict(problems), typed=request.form), 400 if problems else 200


@bp.route("/integrations/<int:integration_id>/revoke", methods=["POST"])
@role_required("admin")
def revoke_integration(integration_id):
    integration = db.get_or_404(Integration, integration_id)
    if FlaskForm().validate_on_submit():
        integrations.revoke(current_user, integration)
        flash(_l("Revoked. Its token opens nothing any more."), "success")
    return redirect(url_for("admin.integrations_page"))


@bp.route("/integrations/docs")
@role_required("agent")
def api_docs():
    """The API's OpenAPI document, readable: every call, what it takes and what it answers."""
    spec = current_app.extensions["gehoord.api"].spec.to_dict()
    return render_template("admin/api_docs.html", spec=spec)
