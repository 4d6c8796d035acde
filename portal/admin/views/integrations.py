"""Integrations: other systems that use the API (services/integrations.py), and the API's docs."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from ...access import role_required
from ...extensions import db
from ...i18n import lazy_gettext as _l
from ...models import Integration, Webhook
from ...services import integrations, webhooks
from ...services.errors import DomainError
from .. import bp
from ._shared import _ask_first, _confirmed


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
    return _page(form, problems, token=token, made=made)


def _page(form, problems, **extra):
    hooks = db.session.scalars(db.select(Webhook).where(Webhook.removed_at.is_(None)).order_by(Webhook.id)).all()
    return render_template("admin/integrations.html", form=form, integrations=integrations.integrations(),
                           scopes=integrations.SCOPES, events=webhooks.EVENTS, hooks=hooks, page_errors=problems,
                           field_errors=dict(problems), typed=request.form, **extra), 400 if problems else 200


@bp.route("/integrations/<int:integration_id>/webhooks", methods=["POST"])
@role_required("admin")
def add_webhook(integration_id):
    integration = db.get_or_404(Integration, integration_id)
    form, problems, secret, hook = FlaskForm(), [], None, None
    if integration.revoked_at is not None:
        problems = [("url", _l("This integration is revoked."))]
    elif form.validate_on_submit():
        try:
            hook, secret = webhooks.add_webhook(current_user, integration, request.form.get("url", ""),
                                                request.form.getlist("events"))
        except DomainError as error:
            problems = error.problems
    return _page(form, problems, secret=secret, hook=hook)


@bp.route("/webhooks/<int:webhook_id>/remove", methods=["POST"])
@role_required("admin")
def remove_webhook(webhook_id):
    hook = db.get_or_404(Webhook, webhook_id)
    if not _confirmed():
        return _ask_first(_l("Remove the webhook to %(url)s?", url=hook.url),
                          _l("Nothing more is sent to this address. Events already sent stay sent."),
                          _l("Yes, remove it"), url_for("admin.integrations_page"))
    if FlaskForm().validate_on_submit():
        webhooks.remove_webhook(current_user, hook)
        flash(_l("Removed. Nothing more is sent to this address."), "success")
    return redirect(url_for("admin.integrations_page"))


@bp.route("/integrations/<int:integration_id>/revoke", methods=["POST"])
@role_required("admin")
def revoke_integration(integration_id):
    integration = db.get_or_404(Integration, integration_id)
    if not _confirmed():
        return _ask_first(_l("Revoke the integration “%(name)s”?", name=integration.name),
                          _l("Its token then opens nothing any more. This cannot be undone: a new integration gets "
                             "a new token."), _l("Yes, revoke it"), url_for("admin.integrations_page"))
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
