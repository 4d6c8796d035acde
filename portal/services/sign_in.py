"""How staff prove who they are: the password, a mailed link to choose a new one, and two-step login.

Every door (the login page, a future API) calls these; the pages only show the result. Secrets are
kept as hashes (reset links, recovery codes); the TOTP secret itself must be readable to check a
code, so it stays in the database, which is why the code of the moment is never enough twice.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
import segno
from sqlalchemy import func, select, update
from werkzeug.security import generate_password_hash

from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..models import PasswordReset, RecoveryCode, User, utcnow
from ..states import Role
from .audit import audit
from .errors import DomainError
from .organisation import organisation_snapshot
from .outbox import public_url, queue_mail
from .people import authenticate, check_password, end_sessions
from .secrets import hash_token
from .text import normalise_email

RESET_LIFE = timedelta(minutes=30)
RECOVERY_CODES = 10
ISSUER = "Gehoord"
# A code from the step before or after still counts: a phone clock a little off, or typing slowly.
TOTP_WINDOW = 1


class SignInError(DomainError):
    """What a person typed does not sign them in; the message says what to do."""


@dataclass(frozen=True)
class FirstStep:
    """The answer to an address and a password: who it is, and what they still have to do."""

    person: User | None
    needs_code: bool = False  # two-step login is on: the app's code (or a recovery code) next
    must_choose_password: bool = False  # an admin forced a reset: only the mailed link helps


def first_step(email: str, password: str) -> FirstStep:
    """Check the address and password. A login is audited only when it is complete (after the code)."""
    person = authenticate(email, password)
    if person is None:
        audit(None, "login_failed", normalise_email(email))
        return FirstStep(None)
    if person.must_choose_password:
        audit(person, "login_refused_reset_asked", person.email)
        return FirstStep(person, must_choose_password=True)
    if person.two_step_since is not None:
        return FirstStep(person, needs_code=True)
    audit(person, "login", person.email)
    return FirstStep(person)


# --- a new password by mail --------------------------------------------------------------------

def request_password_reset(email: str, language: str, now: datetime | None = None) -> None:
    """Mail a single-use link to the person with this address, if there is one that is active.

    The caller answers the same either way, so nobody learns which addresses have an account.
    """
    person = db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))
    if person is None or not person.active:
        return
    _mail_reset_link(person, language, now or utcnow(), forced=False)
    audit(person, "password_reset_asked", person.email)


def welcome(person: User, language: str, now: datetime | None = None) -> None:
    """A new account made without a password (a colleague who joined by a work address): the same
    single-use link as a reset, worded as a welcome; the account logs in only after it is used."""
    person.must_choose_password = True
    _mail_reset_link(person, language, now or utcnow(), forced=False, welcome=True)


def force_password_reset(admin: User, person: User, now: datetime | None = None) -> None:
    """An admin fears the password is known to someone else: it stops working at once, every session
    ends, and the person gets a link to choose a new one."""
    person.must_choose_password = True
    end_sessions(person)
    _mail_reset_link(person, organisation_snapshot().default_language or "nl", now or utcnow(), forced=True)
    audit(admin, "password_reset_forced", person.email)
    db.session.flush()


def _mail_reset_link(person: User, language: str, now: datetime, forced: bool, welcome: bool = False) -> None:
    # An older link stops working: only the newest mail is the one to use.
    db.session.execute(update(PasswordReset).where(PasswordReset.user_id == person.id,
                                                   PasswordReset.used_at.is_(None)).values(used_at=now))
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordReset(user_id=person.id, token_hash=hash_token(token), created_at=now,
                                 expires_at=now + RESET_LIFE))
    queue_mail("password_reset", person.email, language,
               lambda: _l("Welcome: choose your password") if welcome else _l("Choose a new password"),
               person=person, forced=forced, welcome=welcome, minutes=int(RESET_LIFE.total_seconds() // 60),
               reset_url=public_url("agent.reset_password", token=token))


def reset_waiting(token: str, now: datetime | None = None) -> PasswordReset | None:
    """The reset this link belongs to, while it still works (not used, not expired)."""
    if not token or len(token) > 100:
        return None
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == hash_token(token)))
    now = now or utcnow()
    if reset is None or reset.used_at is not None or reset.expires_at <= now:
        return None
    return reset


def reset_password(token: str, new: str, repeat: str, now: datetime | None = None) -> User:
    """Choose a new password with a mailed link. The link is used up in the same update that checks
    it, so two clicks (or two tabs) never both set a password."""
    now = now or utcnow()
    reset = reset_waiting(token, now)
    if reset is None:
        raise SignInError(_l("This link does not work any more. Ask for a new one."), "link")
    check_password(new)
    if new != repeat:
        raise SignInError(_l("The two new passwords are not the same"), "repeat")
    used = db.session.execute(update(PasswordReset).where(PasswordReset.id == reset.id,
                                                          PasswordReset.used_at.is_(None)).values(used_at=now))
    if used.rowcount != 1:
        raise SignInError(_l("This link does not work any more. Ask for a new one."), "link")
    person = db.session.get(User, reset.user_id)
    person.password_hash = generate_password_hash(new)
    person.must_choose_password = False
    end_sessions(person)
    audit(person, "password_reset", person.email)
    db.session.flush()
    return person


# --- two-step login ----------------------------------------------------------------------------

def begin_two_step(person: User) -> str:
    """A new secret to scan; it counts only once a code from it is confirmed."""
    person.two_step_pending_secret = pyotp.random_base32()
    db.session.flush()
    return person.two_step_pending_secret


def setup_picture(person: User) -> str:
    """The waiting secret as a QR code (inline SVG, made here: nothing leaves the server)."""
    uri = pyotp.TOTP(person.two_step_pending_secret).provisioning_uri(name=person.email, issuer_name=ISSUER)
    return segno.make(uri, error="m").svg_inline(scale=5, title=_l("QR code for your app"))


def confirm_two_step(person: User, code: str, now: datetime | None = None) -> list[str]:
    """The person typed a code from the new secret: two-step login is on. Returns the recovery
    codes, which are shown once and kept only as hashes."""
    secret = person.two_step_pending_secret
    if not secret:
        raise SignInError(_l("Start again: scan a new code with your app."), "code")
    step = _valid_step(secret, code, now or utcnow())
    if step is None:
        raise SignInError(_l("This code is not right. Type the 6 digits your app shows now."), "code")
    person.two_step_secret, person.two_step_pending_secret = secret, None
    person.two_step_since, person.two_step_last_step = now or utcnow(), step
    audit(person, "two_step_on", person.email)
    return new_recovery_codes(person)


def new_recovery_codes(person: User) -> list[str]:
    """Ten fresh codes; every earlier one stops working."""
    db.session.query(RecoveryCode).filter(RecoveryCode.user_id == person.id).delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=person.id, code_hash=hash_token(_plain_code(code))) for code in codes)
    db.session.flush()
    return codes


def turn_off_two_step(actor: User, person: User) -> None:
    """Off again (by the person, or by an admin for someone who lost both phone and codes)."""
    if actor.id == person.id and two_step_required(person):
        raise SignInError(_l("Your organisation asks admins to use two-step login: it cannot be turned off."),
                          "code")
    person.two_step_secret = person.two_step_pending_secret = None
    person.two_step_since = person.two_step_last_step = None
    db.session.query(RecoveryCode).filter(RecoveryCode.user_id == person.id).delete()
    end_sessions(person)
    audit(actor, "two_step_off", person.email)
    db.session.flush()


def second_step(person: User, code: str, now: datetime | None = None) -> bool:
    """The app's code of the moment (never one used before) or an unused recovery code."""
    now = now or utcnow()
    step = _valid_step(person.two_step_secret, code, now) if person.two_step_secret else None
    if step is not None and (person.two_step_last_step is None or step > person.two_step_last_step):
        # Conditional: of two logins with the same code at the same moment, one wins.
        taken = db.session.execute(update(User).where(
            User.id == person.id, (User.two_step_last_step.is_(None)) | (User.two_step_last_step < step))
            .values(two_step_last_step=step))
        if taken.rowcount == 1:
            audit(person, "login", person.email)
            return True
    if _use_recovery_code(person, code, now):
        audit(person, "login_recovery_code", person.email)
        return True
    audit(person, "login_failed_code", person.email)
    return False


def recovery_codes_left(person: User) -> int:
    return db.session.scalar(select(func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == person.id, RecoveryCode.used_at.is_(None))) or 0


def two_step_required(person: User) -> bool:
    """The organisation asks every admin to use two-step login."""
    return person.role == Role.ADMIN and bool(organisation_snapshot().admins_need_two_step)


def two_step_missing(person: User) -> bool:
    """An admin who must set up two-step login before any other page opens."""
    return two_step_required(person) and person.two_step_since is None


def _valid_step(secret: str, code: str | None, now: datetime) -> int | None:
    """The time step a 6-digit code belongs to, within the window, or None."""
    digits = "".join(ch for ch in (code or "") if not ch.isspace())
    if len(digits) != 6 or not digits.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - TOTP_WINDOW, current + TOTP_WINDOW + 1):
        if secrets.compare_digest(totp.generate_otp(step), digits):
            return step
    return None


def _new_recovery_code() -> str:
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    chars = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{chars[:5]}-{chars[5:]}"


def _plain_code(code: str | None) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _use_recovery_code(person: User, code: str, now: datetime) -> bool:
    plain = _plain_code(code)
    if len(plain) != 10:
        return False
    used = db.session.execute(update(RecoveryCode).where(
        RecoveryCode.user_id == person.id, RecoveryCode.code_hash == hash_token(plain),
        RecoveryCode.used_at.is_(None)).values(used_at=now))
    return used.rowcount == 1
