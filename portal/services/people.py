"""The people who work complaints: creating them and checking who they are."""
from __future__ import annotations

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import User

# A hash to compare against when the address is unknown, so a wrong address takes as long as a
# wrong password and nobody learns which addresses exist.
_UNKNOWN_USER_HASH = generate_password_hash("no such person")


class PersonError(ValueError):
    """The person cannot be created as asked (the message says why)."""


def create_user(*, email: str, name: str, password: str, role: str = "agent",
                mandate_per_complaint_cents: int = 0, monthly_budget_cents: int = 0) -> User:
    """A new agent, supervisor or admin; the password is stored only as a hash."""
    email = email.strip().lower()
    if role not in User.ROLES:
        raise PersonError(f"role must be one of {', '.join(User.ROLES)}")
    if len(password) < 10:
        raise PersonError("the password must be at least 10 characters")
    if mandate_per_complaint_cents < 0 or monthly_budget_cents < 0:
        raise PersonError("a mandate cannot be negative")
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)) is not None:
        raise PersonError(f"there is already someone with the address {email}")
    user = User(email=email, name=name.strip(), password_hash=generate_password_hash(password),
                role=role, mandate_per_complaint_cents=mandate_per_complaint_cents,
                monthly_budget_cents=monthly_budget_cents)
    db.session.add(user)
    db.session.flush()
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


def colleagues(exclude: User | None = None) -> list[User]:
    """Active people a complaint can be handed to."""
    query = select(User).where(User.active.is_(True)).order_by(User.name)
    if exclude is not None:
        query = query.where(User.id != exclude.id)
    return db.session.scalars(query).all()
