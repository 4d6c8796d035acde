"""Staff sign-in pages: the password, the second step, a forgotten password, and setting up two-step
login; what a person hears of by mail;
and recording a customer's erasure request that came by phone or letter. The rules are in
services/sign_in.py and services/privacy.py; these pages only ask and answer."""
from __future__ import annotations

import time

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user
from flask_wtf import FlaskForm
from werkzeug.security import check_password_hash

from ..access import role_required, safe_next
from ..extensions import db, limiter
from ..formatting import current_language
from ..i18n import lazy_gettext as _l
from ..models import User
from ..services import categories as category_service
from ..services import notices, privacy, sign_in
from ..services.errors import DomainError
from ..services.text import normalise_email
from ..states import Role
from . import bp
from .forms import (CodeForm, ErasureRequestForm, ForgotPasswordForm, LoginForm, NoticeLanguageForm, PasswordCheckForm,
                    ResetPasswordForm, TwoStepConfirmForm)

# After the password, the code must follow within this time, or the password is asked again.
SECOND_STEP_SECONDS = 300


def _failed_login(response):
    return response.status_code != 302  # only failed attempts count towards the limit


def _login_account() -> str:
    # The address as the login reads it: an invisible character typed in does not make a new account.
    return "login-account:" + normalise_email(request.form.get("email"))


def _login_pair() -> str:
    return f"login-pair:{normalise_email(request.form.get('email'))}:{get_remote_address()}"


def _code_account() -> str:
    return f"login-code:{(session.get('second_step') or {}).get('id')}"


def _fresh_session() -> None:
    """Nothing from before the login carries over, but the language the person chose."""
    language = session.get("language")
    session.clear()
    if language:
        session["language"] = language


def _logged_in(person: User, next_page: str | None):
    _fresh_session()
    login_user(person)
    if sign_in.two_step_missing(person):
        flash(_l("Your organisation asks admins to use two-step login. Set it up now: it takes two minutes."),
              "info")
        return redirect(url_for("agent.two_step_page"))
    if person.role == Role.SUPERVISOR:
        home = url_for("agent.desk_page")  # their home: what waits for a supervisor, and today's figures
    elif person.can(Role.AGENT):
        home = url_for("agent.queue_page")
    elif person.can(Role.MANAGER):
        home = url_for("insight.overview")
    else:
        home = url_for("ambassador.pass_on")
    return redirect(safe_next(next_page, home))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT"], methods=["POST"], deduct_when=_failed_login,
               key_func=_login_pair)
@limiter.limit(lambda: current_app.config["LOGIN_ACCOUNT_LIMIT"], methods=["POST"], deduct_when=_failed_login,
               key_func=_login_account)
@limiter.limit(lambda: current_app.config["LOGIN_ADDRESS_LIMIT"], methods=["POST"], deduct_when=_failed_login)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        result = sign_in.first_step(form.email.data, form.password.data)
        if result.must_choose_password:
            form.password.errors.append(_l("An admin asked you to choose a new password. Use the link in the mail "
                                           "we sent you, or ask for a new link."))
        elif result.needs_code:
            _fresh_session()
            session["second_step"] = dict(id=result.person.id, version=result.person.session_version or 0,
                                          at=int(time.time()))
            return redirect(url_for("agent.login_code", next=safe_next(request.args.get("next"), None)))
        elif result.person is not None:
            return _logged_in(result.person, request.args.get("next"))
        else:
            form.password.errors.append(_l("The email address or the password is not right"))
    return render_template("agent/login.html", form=form)


def _waiting_for_code() -> User | None:
    """The person who gave the right password in this browser a moment ago, or None."""
    pending = session.get("second_step") or {}
    if not pending or time.time() - pending.get("at", 0) > SECOND_STEP_SECONDS:
        return None
    person = db.session.get(User, pending.get("id") or 0)
    if person is None or not person.active or (person.session_version or 0) != pending.get("version"):
        return None
    return person if person.two_step_since is not None else None


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT"], methods=["POST"], deduct_when=_failed_login,
               key_func=_code_account)
def login_code():
    person = _waiting_for_code()
    if person is None:
        session.pop("second_step", None)
        flash(_l("Log in again with your email address and password."), "info")
        return redirect(url_for("agent.login", next=safe_next(request.args.get("next"), None)))
    form = CodeForm()
    if form.validate_on_submit():
        if sign_in.second_step(person, form.code.data):
            return _logged_in(person, request.args.get("next"))
        form.code.errors.append(_l("This code is not right. Type the 6 digits your app shows now, or one of "
                                   "your recovery codes."))
    return render_template("agent/login_code.html", form=form)


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT"], methods=["POST"], key_func=_login_account)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        sign_in.request_password_reset(form.email.data, current_language())
        # The same answer whether or not the address has an account: nobody learns who works here.
        return render_template("agent/forgot_sent.html", minutes=int(sign_in.RESET_LIFE.total_seconds() // 60))
    return render_template("agent/forgot.html", form=form), 400 if form.errors else 200


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token):
    if sign_in.reset_waiting(token) is None:
        return render_template("agent/reset_expired.html"), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            sign_in.reset_password(token, form.new.data, form.repeat.data)
        except DomainError as error:
            if error.field == "link":
                return render_template("agent/reset_expired.html"), 404
            getattr(form, error.field if error.field in ("repeat",) else "new").errors.append(error.message)
        else:
            _fresh_session()
            flash(_l("Your new password is set. Log in with it. You are logged out everywhere else."), "success")
            return redirect(url_for("agent.login"))
    return render_template("agent/reset.html", form=form), 400 if form.errors else 200


# --- two-step login: the person's own page ----------------------------------------------------------

def _two_step_page(status=200, **forms):
    person = current_user
    forms.setdefault("confirm_form", TwoStepConfirmForm(prefix="confirm"))
    forms.setdefault("codes_form", PasswordCheckForm(prefix="codes"))
    forms.setdefault("off_form", PasswordCheckForm(prefix="off"))
    picture = sign_in.setup_picture(person) if person.two_step_pending_secret and not person.two_step_since else None
    return render_template("agent/two_step.html", person=person, picture=picture,
                           required=sign_in.two_step_required(person),
                           codes_left=sign_in.recovery_codes_left(person), **forms), status


@bp.route("/two-step")
@login_required
def two_step_page():
    return _two_step_page()


@bp.route("/two-step/start", methods=["POST"])
@login_required
def two_step_start():
    if FlaskForm().validate_on_submit() and not current_user.two_step_since:
        sign_in.begin_two_step(current_user)
    return redirect(url_for("agent.two_step_page"))


@bp.route("/two-step/confirm", methods=["POST"])
@login_required
def two_step_confirm():
    form = TwoStepConfirmForm(prefix="confirm")
    if form.validate_on_submit():
        try:
            codes = sign_in.confirm_two_step(current_user, form.code.data)
        except DomainError as error:
            form.code.errors.append(error.message)
        else:
            login_user(current_user._get_current_object())  # the sessions before it end; this one goes on
            return render_template("agent/recovery_codes.html", codes=codes, first=True)
    return _two_step_page(400, confirm_form=form)


def _password_checked(form) -> bool:
    if not form.validate_on_submit():
        return False
    if not check_password_hash(current_user.password_hash, form.password.data or ""):
        form.password.errors.append(_l("This is not your password now"))
        return False
    return True


@bp.route("/two-step/codes", methods=["POST"])
@login_required
def recovery_codes():
    form = PasswordCheckForm(prefix="codes")
    if not current_user.two_step_since or not _password_checked(form):
        return _two_step_page(400, codes_form=form)
    return render_template("agent/recovery_codes.html", codes=sign_in.new_recovery_codes(current_user), first=False)


@bp.route("/two-step/off", methods=["POST"])
@login_required
def two_step_off():
    form = PasswordCheckForm(prefix="off")
    if not current_user.two_step_since or not _password_checked(form):
        return _two_step_page(400, off_form=form)
    try:
        sign_in.turn_off_two_step(current_user, current_user)
    except DomainError as error:
        form.password.errors.append(error.message)
        return _two_step_page(400, off_form=form)
    login_user(current_user._get_current_object())
    flash(_l("Two-step login is off. Your password alone logs you in again."), "success")
    return redirect(url_for("agent.two_step_page"))


# --- privacy asked for on the phone or by letter -----------------------------------------------------

@bp.route("/erasure-request", methods=["GET", "POST"])
@role_required("agent")
def erasure_request():
    """A customer asked a colleague, not the status page, to erase their data: record it for an admin."""
    form = ErasureRequestForm()
    if request.method == "GET":
        form.which.data = request.args.get("which", "")[:254]  # from the complaint page's link
    elif form.validate_on_submit():
        try:
            complaints = privacy.record_erasure_request(current_user, form.which.data, form.via.data)
        except DomainError as error:
            getattr(form, error.field or "which").errors.append(error.message)
        else:
            return render_template("agent/erasure_recorded.html", complaints=complaints)
    return render_template("agent/erasure_request.html", form=form), 400 if form.errors else 200


# --- what a person hears of by mail ----------------------------------------------------------------

@bp.route("/notifications", methods=["GET", "POST"])
@role_required("agent")
def notice_settings():
    form = NoticeLanguageForm()
    if request.method == "GET":
        form.language.data = current_user.language or "nl"
    elif form.validate_on_submit():
        notices.update_settings(current_user, language=form.language.data,
                                kinds_on=set(request.form.getlist("kinds")),
                                category_ids={int(v) for v in request.form.getlist("categories") if v.isdigit()})
        flash(_l("Saved. You hear of what you chose, at most once an hour."), "success")
        return redirect(url_for("agent.notice_settings"))
    return render_template("agent/notices.html", form=form, person=current_user, kinds=notices.KINDS,
                           categories=category_service.active_categories(),
                           followed=notices.followed_categories(current_user)), 400 if form.errors else 200
