"""Webhooks: an integration hears of what happens to complaints (filed, a promise kept or missed, an
offer made, resolved, closed) as a signed POST to its address, sent like mail: every event is turned
into deliveries once (a watermark, as staff notices are), each delivery is retried with back-off
until the receiver answers 2xx, and a delivery is unique per event and webhook, so nothing arrives
twice. A payload names the complaint by reference and says what happened; never the customer's
name, address or story.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..models import Event, Integration, Organisation, Webhook, WebhookDelivery, User, utcnow
from ..states import MailStatus
from .audit import audit
from .errors import SettingError, refuse
from .complaints import claim_new_events
from .outbox import backoff

# What a webhook may ask for, and the event kinds that are it.
EVENTS = {
    "filed": ("filed",),
    "promise_kept": ("promise_kept",),
    "promise_missed": ("promise_missed",),
    "offer_made": ("offer_made",),
    "resolved": ("resolved",),
    "closed": ("closed", "closed_unanswered", "closed_in_time", "closed_after_answer"),
}
WEBHOOK_OF_EVENT = {kind: name for name, kinds in EVENTS.items() for kind in kinds}
GIVE_UP_AFTER = timedelta(days=3)
TIMEOUT_SECONDS = 5


def add_webhook(admin: User, integration: Integration, url: str, events) -> tuple[Webhook, str]:
    """Register an address for these events; returns the webhook and its signing secret (shown once)."""
    url, events = (url or "").strip(), sorted(set(events or ()))
    problems = []
    parts = urlsplit(url)
    loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if not parts.netloc or parts.scheme not in ("https", "http") or (parts.scheme == "http" and not loopback):
        problems.append(("url", _l("Write an https:// address (http:// only on this machine)")))
    elif len(url) > 500:
        problems.append(("url", _l("The address must be 500 characters or less")))
    if not events or set(events) - set(EVENTS):
        problems.append(("events", _l("Choose what the integration hears of")))
    refuse(problems, SettingError)
    secret = secrets.token_urlsafe(32)
    webhook = Webhook(integration_id=integration.id, url=url, secret=secret, events=events, created_at=utcnow())
    db.session.add(webhook)
    db.session.flush()
    audit(admin, "webhook_added", f"{integration.name}: {url}"[:200], after=dict(events=events))
    return webhook, secret


def remove_webhook(admin: User, webhook: Webhook) -> None:
    if webhook.removed_at is None:
        webhook.removed_at = utcnow()
        audit(admin, "webhook_removed", f"{webhook.integration.name}: {webhook.url}"[:200])
        db.session.flush()


def payload_of(event: Event, name: str) -> dict:
    complaint = event.complaint
    data = {"event": name, "delivered_for": event.kind, "event_id": event.id,
            "at": event.created_at.isoformat(), "reference": complaint.reference, "kind": str(complaint.kind),
            "status_now": str(complaint.status)}  # where it stands when the delivery is made
    if name in ("promise_kept", "promise_missed"):
        data["promise"] = (event.data or {}).get("promise")
    return data


def collect(now: datetime | None = None, batch: int = 1000) -> int:
    """Turn new events into deliveries for the webhooks that asked for them; returns how many.
    The watermark moves with a conditional update, so of two ticks at once one reads the events."""
    now = now or utcnow()
    events = claim_new_events(Organisation.webhooks_read_to_event, batch)
    if not events:
        return 0
    hooks = db.session.scalars(select(Webhook).join(Integration, Integration.id == Webhook.integration_id).where(
        Webhook.removed_at.is_(None), Integration.revoked_at.is_(None))).all()
    made = 0
    for event in events:
        name = WEBHOOK_OF_EVENT.get(event.kind)
        if name is None:
            continue
        for hook in hooks:
            if name in (hook.events or []):
                db.session.add(WebhookDelivery(webhook_id=hook.id, event_id=event.id, kind=name,
                                               payload=payload_of(event, name), created_at=now, next_attempt_at=now))
                made += 1
    db.session.flush()
    return made


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _claim_next(now: datetime) -> WebhookDelivery | None:
    """The oldest due delivery, locked for this worker (SKIP LOCKED: several workers share them)."""
    return db.session.scalar(
        select(WebhookDelivery).where(WebhookDelivery.status == MailStatus.PENDING,
                                      WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.id).limit(1).with_for_update(skip_locked=True))


def send_due(now: datetime | None = None, limit: int = 100) -> tuple[int, int]:
    """Send the deliveries that are due; returns (sent, failed). Each is committed on its own."""
    now = now or utcnow()
    sent = failed = 0
    for _ in range(limit):
        delivery = _claim_next(now)
        if delivery is None:
            break
        hook = delivery.webhook
        if hook.removed_at is not None or hook.integration.revoked_at is not None:
            delivery.status, delivery.last_error = MailStatus.CANCELLED, "the webhook was removed"
            db.session.commit()
            continue
        body = json.dumps(delivery.payload, sort_keys=True).encode()
        request = urllib.request.Request(hook.url, data=body, method="POST", headers={
            "Content-Type": "application/json", "User-Agent": "Gehoord-Webhooks/1",
            "X-Gehoord-Event": delivery.kind, "X-Gehoord-Delivery": str(delivery.id),
            "X-Gehoord-Signature": signature(hook.secret, body)})
        delivery.attempts += 1
        timeout = current_app.config.get("WEBHOOK_TIMEOUT_SECONDS", TIMEOUT_SECONDS)
        try:
            # add_webhook allows https:// addresses only (http:// on loopback): no file:// or other scheme.
            with urllib.request.urlopen(request, timeout=timeout) as answer:  # nosec B310
                ok = 200 <= answer.status < 300
                problem = None if ok else f"HTTP {answer.status}"
        except urllib.error.HTTPError as error:
            ok, problem = False, f"HTTP {error.code}"
        except (urllib.error.URLError, OSError, ValueError) as error:
            ok, problem = False, f"{type(error).__name__}: {error}"
        if ok:
            delivery.status, delivery.sent_at, delivery.last_error = MailStatus.SENT, utcnow(), None
            sent += 1
        else:
            delivery.last_error = problem[:500]
            delivery.next_attempt_at = now + backoff(delivery.attempts)
            if now - delivery.created_at >= GIVE_UP_AFTER:
                delivery.status = MailStatus.FAILED
            failed += 1
        db.session.commit()
    return sent, failed
