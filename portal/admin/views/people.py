"""People: who can log in, their role and their mandate."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from ...i18n import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from ...access import role_required
from ...extensions import db
from ...models import User
from ...services import people as settings
from ...services import sign_in
from ...services.errors import DomainError
from ...services.money import cents_to_euros, euros_to_cents
from ...services.people import create_user
from ...services.organisation import organisation_snapshot
from ...services.secrets import new_draft_key
from .. import bp
from ..forms import NewPersonForm, PersonForm
from ._shared import _field_error


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
        invite = not form.password.data  # no password: they choose one through a mailed link
        try:
            person = create_user(email=form.email.data, name=form.name.data,
                                 password=form.password.data or new_draft_key() + new_draft_key(),
                                 role=form.role.data, mandate_per_complaint_cents=euros_to_cents(form.mandate.data),
                                 monthly_budget_cents=euros_to_cents(form.budget.data), created_by=current_user)
            if invite:
                sign_in.welcome(person, organisation_snapshot().default_language or "nl")
        except DomainError as error:
            _field_error(form, error, "email")
        else:
            flash(_l("An invitation is on its way to %(email)s.", email=person.email) if invite
                  else _l("%(name)s can log in now.", name=person.name), "success")
            return redirect(url_for("admin.people_page"))
    return render_template("admin/person.html", form=form, person=None), 200 if not form.errors else 400


@bp.route("/people/<int:person_id>", methods=["GET", "POST"])
@role_required("admin")
def person_page(person_id):
    person = db.get_or_404(User, person_id)
    form = PersonForm()
    if request.method == "GET":
        form.role.data, form.active.data = person.role, "yes" if person.active else "no"
        form.mandate.data = cents_to_euros(person.mandate_per_complaint_cents)
        form.budget.data = cents_to_euros(person.monthly_budget_cents)
    elif form.validate_on_submit():
        try:
            settings.update_person(current_user, person, role=form.role.data,
                                   mandate_per_complaint_cents=euros_to_cents(form.mandate.data),
                                   monthly_budget_cents=euros_to_cents(form.budget.data), active=form.active.data ==
                                   "yes")
        except DomainError as error:
            _field_error(form, error, "role")
        else:
            flash(_l("Saved."), "success")
            return redirect(url_for("admin.people_page"))
    return render_template("admin/person.html", form=form, person=person,
                           open_count=settings.open_complaints_owned_by(person)), 200 if not form.errors else 400


@bp.route("/people/<int:person_id>/force-reset", methods=["POST"])
@role_required("admin")
def force_password_reset(person_id):
    person = db.get_or_404(User, person_id)
    if not FlaskForm().validate_on_submit() or not person.active:
        abort(400)
    sign_in.force_password_reset(current_user, person)
    flash(_l("%(name)s is logged out everywhere and gets a mail to choose a new password.", name=person.name),
          "success")
    return redirect(url_for("admin.people_page") if person.id == current_user.id else
                    url_for("admin.person_page", person_id=person.id))


@bp.route("/people/<int:person_id>/two-step-off", methods=["POST"])
@role_required("admin")
def turn_off_two_step(person_id):
    person = db.get_or_404(User, person_id)
    if not FlaskForm().validate_on_submit() or not person.two_step_since:
        abort(400)
    sign_in.turn_off_two_step(current_user, person)
    flash(_l("Two-step login of %(name)s is off. They log in with their password and can set it up again.",
             name=person.name), "success")
    return redirect(url_for("admin.person_page", person_id=person.id))
