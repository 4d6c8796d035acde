"""Other systems (a chatbot, a phone system, a shop's till, an app) that file and read complaints
through the API: created by an admin with the scopes they need; the token is shown once and kept as
a hash; revoked, it stops at once. Every call is in the audit."""
from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..models import ApiAnswer, Integration, User, utcnow
from .audit import audit
from .errors import SettingError, refuse
from .secrets import hash_token

SCOPES = {
    "complaints:write": _l("File complaints, compliments and ideas, and add a customer's message"),
    "status:read": _l("Read a complaint's status and dated promises, with the customer's address as proof"),
    "categories:read": _l("Read the categories and their promise-timelines"),
}
TOKEN_PREFIX = "ghd_"


def create_integration(admin: User, name: str, scopes) -> tuple[Integration, str]:
    """A new integration and its token, which is never shown again."""
    name, scopes = (name or "").strip(), sorted(set(scopes or ()))
    problems = []
    if not name:
        problems.append(("name", _l("Write a name, such as the system's name")))
    elif len(name) > 120:
        problems.append(("name", _l("The name must be 120 characters or less")))
    if not scopes or set(scopes) - set(SCOPES):
        problems.append(("scopes", _l("Choose what this integration may do")))
    refuse(problems, SettingError)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    integration = Integration(name=name, token_hash=hash_token(token), scopes=scopes, created_by_id=admin.id,
                              created_at=utcnow())
    db.session.add(integration)
    db.session.flush()
    audit(admin, "integration_created", name, after=dict(scopes=scopes))
    return integration, token


def revoke(admin: User, integration: Integration, now: datetime | None = None) -> None:
    if integration.revoked_at is None:
        integration.revoked_at = now or utcnow()
        audit(admin, "integration_revoked", integration.name)
        db.session.flush()


def integrations() -> list[Integration]:
    return db.session.scalars(select(Integration).order_by(Integration.id.desc())).all()


def authenticate(token: str | None, now: datetime | None = None) -> Integration | None:
    """The integration this bearer token belongs to, while not revoked; its last use is kept."""
    if not token or len(token) > 200:
        return None
    integration = db.session.scalar(select(Integration).where(Integration.token_hash == hash_token(token)))
    if integration is None or integration.revoked_at is not None:
        return None
    db.session.execute(update(Integration).where(Integration.id == integration.id)
                       .values(last_used_at=now or utcnow()).execution_options(synchronize_session=False))
    return integration


def record_call(integration: Integration, method: str, path: str, status: int) -> None:
    """Every call, in the admins' audit (the action names the integration's calls; the subject the path)."""
    audit(None, "api_call", f"{integration.name}: {method} {path}"[:200], after=dict(status=status))


# --- Idempotency-Key: the same key twice gives the first answer --------------------------------

def request_hash(payload) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def earlier_answer(integration: Integration, key: str) -> ApiAnswer | None:
    return db.session.scalar(select(ApiAnswer).where(ApiAnswer.integration_id == integration.id,
                                                     ApiAnswer.key == key))


def keep_answer(integration: Integration, key: str, payload, status: int, body: dict) -> ApiAnswer:
    """Keep the first answer for this key; when another worker kept one a moment ago, that one wins."""
    answer = ApiAnswer(integration_id=integration.id, key=key, request_hash=request_hash(payload), status=status,
                       body=body, created_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(answer)
            db.session.flush()
    except IntegrityError:
        return earlier_answer(integration, key)
    return answer
