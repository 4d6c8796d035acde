"""Pass on what you heard, and see what became of it: thin views over services/ambassador.py."""
from __future__ import annotations

from pathlib import Path

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, StringField, TextAreaField

from ..access import role_required
from ..extensions import limiter
from ..formatting import current_language
from ..forms import choices
from ..i18n import lazy_gettext as _l
from ..services import ambassador, sign_in
from ..services.organisation import get_organisation
from ..services.text import normalise_email
from ..services.errors import DomainError
from ..services.secrets import new_draft_key
from ..states import STAFF
from . import bp

WHERE_CHOICES = [("party", _l("At a party or a visit")), ("shop", _l("In a shop")), ("street", _l("On the street")),
                 ("online", _l("Online")), ("other", _l("Somewhere else"))]
OUTCOME_CHOICES = [("listened", _l("I listened, and that was enough")), ("solve", _l("This needs solving")),
                   ("compliment", _l("A compliment")), ("idea", _l("An idea"))]
OUTCOME_HINTS = {"listened": _l("The customer wanted to be heard. We count it, and nobody needs to act."),
                 "solve": _l("A colleague picks it up. With contact details, the customer hears from us.")}


class PassOnForm(FlaskForm):
    """No validators here: the service checks everything and names each field (one place for the rules)."""

    submission_key = HiddenField()
    words = TextAreaField(_l("What did you hear?"))
    where = RadioField(_l("Where did you hear it?"), choices=choices(WHERE_CHOICES), validate_choice=False)
    outcome = RadioField(_l("What did you do?"), choices=choices(OUTCOME_CHOICES), validate_choice=False)
    may_contact = BooleanField(_l("The customer said we may contact them"))
    name = StringField(_l("Customer's name"))
    email = StringField(_l("Customer's email address"))
    phone = StringField(_l("Customer's phone number (optional)"))
    language = RadioField(_l("In which language do we write?"), choices=choices([("nl", "Nederlands"),
                                                                                 ("en", "English")]),
                          default="nl", validate_choice=False)


@bp.route("/", methods=["GET", "POST"])
@role_required(STAFF)
def pass_on():
    form = PassOnForm()
    if request.method == "GET":
        form.submission_key.data = new_draft_key()  # the same form sent twice passes it on once
    elif form.validate_on_submit():
        try:
            passed = ambassador.pass_on(
                current_user, words=form.words.data, where=form.where.data, outcome=form.outcome.data,
                may_contact=form.may_contact.data, name=form.name.data, email=form.email.data,
                phone=form.phone.data, language=form.language.data,
                submission_key=form.submission_key.data or None)
        except DomainError as error:
            for field, message in error.problems:
                form[field if field in form else "words"].errors.append(message)
        else:
            flash(_l("Thank you. The customer hears from us with the same mail and dates as on the web.")
                  if passed.filed else _l("Thank you. We counted what you heard."), "success")
            return redirect(url_for("ambassador.my_signals"))
    return render_template("ambassador/pass_on.html", form=form, hints=OUTCOME_HINTS), 400 if form.errors else 200


@bp.route("/mine")
@role_required(STAFF)
def my_signals():
    return render_template("ambassador/mine.html", mine=ambassador.my_signals(current_user),
                           where_words=dict(WHERE_CHOICES), outcome_words=dict(OUTCOME_CHOICES))


class JoinForm(FlaskForm):
    name = StringField(_l("Your name"))
    email = StringField(_l("Your work email address"))


def _join_account() -> str:
    return "join:" + normalise_email(request.form.get("email"))


@bp.route("/join", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT"], methods=["POST"], key_func=_join_account)
def join():
    """A colleague makes their own account with a work address (when an admin allows its domain)."""
    domains = ambassador.allowed_domains(get_organisation().colleague_domains)
    form = JoinForm()
    if domains and form.validate_on_submit():
        try:
            ambassador.join(form.name.data, form.email.data, current_language())
        except DomainError as error:
            for field, message in error.problems:
                form[field].errors.append(message)
        else:
            # The same answer whatever the address: nobody learns who works here.
            return render_template("ambassador/join_sent.html",
                                   minutes=int(sign_in.RESET_LIFE.total_seconds() // 60))
    return render_template("ambassador/join.html", form=form, open=bool(domains)), 400 if form.errors else 200


@bp.route("/sw.js")
def service_worker():
    """Served from /ambassador/, so its scope is the ambassador app and nothing else."""
    script = (Path(current_app.static_folder) / "js" / "ambassador-sw.js").read_text(encoding="utf-8")
    return Response(script, mimetype="text/javascript", headers={"Cache-Control": "no-cache"})


@bp.route("/offline")
def offline():
    """What the installed app shows without a connection (kept by the service worker)."""
    return render_template("ambassador/offline.html")
