"""The people who work complaints: creating and changing them (roles, mandates), and checking who they are."""
from __future__ import annotations

from ..i18n import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import Complaint, User
from ..states import Role, Status
from .audit import audit, snapshot
from .errors import DomainError, SettingError
from .text import normalise_email

PASSWORD_MIN, PASSWORD_MAX = 10, 200

# A hash to compare against when the address is unknown, so a wrong address takes as long as a
# wrong password and nobody learns which addresses exist.
_UNKNOWN_USER_HASH = generate_password_hash("no such person")


class PersonError(DomainError):
    """The person cannot be created or changed as asked."""


def check_role(role: str) -> None:
    if role not in Role._value2member_map_:
        raise PersonError(_l("Choose a role."), "role")


def check_password(password: str | None) -> None:
    if len(password or "") < PASSWORD_MIN:
        raise PersonError(_l("The password must be at least 10 characters"), "password")
    if len(password) > PASSWORD_MAX:
        raise PersonError(_l("The password must be 200 characters or less"), "password")


def check_mandate(mandate_per_complaint_cents: int, monthly_budget_cents: int) -> None:
    """A mandate and a budget are 0 or more (0: every offer with money needs a co-sign)."""
    if mandate_per_complaint_cents < 0 or monthly_budget_cents < 0:
        raise PersonError(_l("A mandate cannot be less than 0."), "mandate")


def create_user(*, email: str, name: str, password: str, role: str = Role.AGENT,
                mandate_per_complaint_cents: int = 0, monthly_budget_cents: int = 0,
                created_by: User | None = None) -> User:
    """A new agent, supervisor or admin; the password is stored only as a hash. Made by an admin
    (not at the console), it is an audit event."""
    email = email.strip().lower()
    check_role(role)
    check_password(password)
    check_mandate(mandate_per_complaint_cents, monthly_budget_cents)
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)) is not None:
        raise PersonError(_l("There is already someone with this email address"), "email")
    user = User(email=email, name=name.strip(), password_hash=generate_password_hash(password),
                role=role, mandate_per_complaint_cents=mandate_per_complaint_cents,
                monthly_budget_cents=monthly_budget_cents)
    db.session.add(user)
    db.session.flush()
    if created_by is not None:
        audit(created_by, "person_created", user.email, after=dict(role=user.role, mandate=mandate_per_complaint_cents))
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active person with this address and password, or None."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == (email or "").strip().lower()))
    if user is None:
        check_password_hash(_UNKNOWN_USER_HASH, password or "")
        return None
    if not check_password_hash(user.password_hash, password or "") or not user.active:
        return None
    return user


def log_in(email: str, password: str) -> User | None:
    """`authenticate`, with an audit event either way: who logged in, or which address failed."""
    user = authenticate(email, password)
    if user is None:
        audit(None, "login_failed", normalise_email(email))
    else:
        audit(user, "login", user.email)
    return user


def log_out(person: User) -> None:
    """Logged out here, and everywhere else: every session of this person ends."""
    audit(person, "logout", person.email)
    end_sessions(person)


def change_password(person: User, current: str, new: str, repeat: str) -> None:
    """A person sets a new password, knowing the old one; every other session of theirs ends (the
    caller logs this one in again)."""
    if not check_password_hash(person.password_hash, current or ""):
        raise PersonError(_l("This is not your password now"), "current")
    check_password(new)
    if new != repeat:
        raise PersonError(_l("The two new passwords are not the same"), "repeat")
    if check_password_hash(person.password_hash, new):
        raise PersonError(_l("Choose a password that differs from the one you have now"), "new")
    person.password_hash = generate_password_hash(new)
    audit(person, "password_changed", person.email)
    end_sessions(person)


def colleagues(exclude: User | None = None) -> list[User]:
    """Active people a complaint can be handed to."""
    query = select(User).where(User.active.is_(True)).order_by(User.name)
    if exclude is not None:
        query = query.where(User.id != exclude.id)
    return db.session.scalars(query).all()


def admins_to_ask(limit: int = 3) -> list[User]:
    """Who a colleague can ask about the portal itself (the staff footer): active admins by name."""
    return list(db.session.scalars(select(User).where(User.role == Role.ADMIN, User.active.is_(True))
                                   .order_by(User.name).limit(limit)))


def update_person(admin: User, person: User, *, role: str, mandate_per_complaint_cents: int,
                  monthly_budget_cents: int, active: bool) -> None:
    """Change a person's role and mandate; deactivate only when nothing of theirs is left open."""
    fields = ("role", "mandate_per_complaint_cents", "monthly_budget_cents", "active")
    check_role(role)
    check_mandate(mandate_per_complaint_cents, monthly_budget_cents)
    if (not active and person.active) or (role == Role.MANAGER and person.role != Role.MANAGER):
        # A manager works no complaints: what they own must go to a colleague first, as when switched off.
        still_open = open_complaints_owned_by(person)
        if still_open:
            raise SettingError(_l("%(name)s still owns %(n)s open complaints. Hand them to a colleague first, "
                                  "so nothing is left without an owner.", name=person.name, n=still_open),
                               "active" if not active else "role")
        if person.id == admin.id and not active:
            raise SettingError(_l("You cannot switch off your own account."), "active")
    if person.role == Role.ADMIN and person.active and (role != Role.ADMIN or not active):
        other_admins = db.session.scalar(select(func.count(User.id)).where(
            User.role == Role.ADMIN, User.active.is_(True), User.id != person.id)) or 0
        if not other_admins:
            raise SettingError(_l("%(name)s is the last admin who can log in. Make someone else an admin first, "
                                  "so somebody can still change the settings.", name=person.name),
                               "role" if role != Role.ADMIN else "active")
    before = snapshot(person, fields)
    if person.active and not active:
        end_sessions(person)  # switched off: logged out everywhere, now
    person.role, person.active = role, active
    person.mandate_per_complaint_cents, person.monthly_budget_cents = mandate_per_complaint_cents, monthly_budget_cents
    audit(admin, "person_changed", person.email, before=before, after=snapshot(person, fields))
    if before["role"] != person.role:  # its own action, so the audit can be filtered on it
        audit(admin, "role_changed", person.email, before=dict(role=before["role"]), after=dict(role=person.role))
    db.session.flush()


def end_sessions(person: User) -> None:
    """Every session of this person stops working, in every browser (see `User.get_id`)."""
    person.session_version = (person.session_version or 0) + 1
    db.session.flush()


def session_idle_too_long(last_seen: float | None, now: float, idle_hours: int) -> bool:
    """An agent's screen left without a request for longer than the admin allows: log in again."""
    return last_seen is not None and now - last_seen > idle_hours * 3600


def open_complaints_owned_by(person: User) -> int:
    return db.session.scalar(select(func.count(Complaint.id)).where(
        Complaint.owner_id == person.id, Complaint.status.in_(Status.OPEN))) or 0


def set_shortcuts(person: User, *, on: bool) -> None:
    """A person turns the single-key shortcuts on or off for themselves (WCAG 2.1.4)."""
    person.shortcuts_off = not on
    db.session.flush()
