"""The transactional outbox: mail is a row written with the change that causes it; a worker sends it.

A mail server that is down therefore never loses a mail and never slows a page: the row waits,
and `flask portal send-mail` tries again with back-off until it goes out. A mail that a busy page
causes (the confirmation of a filing) may wait unwritten: the worker writes it first
(`write_waiting`), commits it, and only then sends it, so every try sends the same mail.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from flask_mail import Message as MailMessage
from sqlalchemy import select

from ..extensions import db, mail
from ..models import Complaint, OutboxMail, utcnow
from ..states import MailStatus

BACKOFF_CAP = timedelta(hours=1)
AUTO_REPLIES = frozenset({"mail_not_added"})  # services/inbound.py answers a mail it could not take
AUTO_REPLY_HEADERS = {"Auto-Submitted": "auto-replied"}


def public_url(endpoint: str, **values) -> str:
    """An absolute URL on the configured public address, never on the Host a request claims
    (a forged Host header must not put a secret link to someone else's site in a customer's mail)."""
    base = current_app.config["PUBLIC_BASE_URL"]
    cached = current_app.extensions.get("gehoord.public_urls")
    if cached is None or cached[0] != base:  # a URL map bound to the public address, made once
        parts = urlsplit(base)
        cached = (base, current_app.url_map.bind(parts.netloc, script_name=parts.path or "/",
                                                 url_scheme=parts.scheme))
        current_app.extensions["gehoord.public_urls"] = cached
    return cached[1].build(endpoint, values, force_external=True)


def queue_mail(kind: str, recipient: str, language: str, subject: Callable[[], str],
               complaint: Complaint | None = None, **context) -> OutboxMail | None:
    """Render a mail in the recipient's language and put it in the outbox.

    The row is written with the rest of the change, at its flush, so a change that is rolled back
    has no mail either. Nobody to write to (a signal a colleague passed on without the customer's
    contact details, services/ambassador.py) is no mail, not a mail that fails.
    """
    if not recipient:
        return None
    row = OutboxMail(**render_mail(kind, recipient, language, subject, complaint, **context),
                     complaint_id=complaint.id if complaint is not None else None)
    db.session.add(row)
    return row


def unwritten_mail(kind: str, recipient: str, language: str) -> dict:
    """The outbox row's columns for a mail the worker writes just before it sends it (see
    `written_when_sent`): the page that causes it does not wait for its templates."""
    if kind not in WRITERS:
        raise ValueError(f"no writer for mails of kind {kind!r}")
    return dict(kind=kind, recipient=recipient, language=language, subject=None, body_text=None, body_html=None)


# kind -> the function that writes such a mail from its outbox row: it returns render_mail's columns.
WRITERS: dict[str, Callable[[OutboxMail], dict]] = {}


def written_when_sent(kind: str):
    """Register the writer of mails of `kind` that wait in the outbox unwritten."""
    def register(writer: Callable[[OutboxMail], dict]):
        WRITERS[kind] = writer
        return writer
    return register


def write_waiting(now: datetime | None = None, limit: int = 100) -> tuple[int, int]:
    """Write the mails that wait to be written; returns (written, failed). Each is committed before
    it can be sent, so what it holds (a new status link, say) is stored before a customer reads it."""
    now = now or utcnow()
    written = failed = 0
    for _ in range(limit):
        row = _claim_next(now, OutboxMail.body_text.is_(None))
        if row is None:
            break
        row_id = row.id
        try:
            columns = WRITERS[row.kind](row)
            row.subject, row.body_text, row.body_html = columns["subject"], columns["body_text"], columns["body_html"]
            row.reply_to = columns.get("reply_to")
            db.session.commit()
            written += 1
        except Exception as error:  # a mail that cannot be written is tried again, and reported
            db.session.rollback()
            _failed(db.session.get(OutboxMail, row_id), error, now)
            db.session.commit()
            failed += 1
    return written, failed


def _claim_next(now: datetime, condition) -> OutboxMail | None:
    """The oldest pending mail that is due and meets `condition`, locked for this worker: SKIP LOCKED
    lets several workers share the outbox on PostgreSQL (SQLite ignores it; one worker is enough)."""
    return db.session.scalar(
        select(OutboxMail)
        .where(OutboxMail.status == MailStatus.PENDING, OutboxMail.next_attempt_at <= now, condition)
        .order_by(OutboxMail.id).limit(1).with_for_update(skip_locked=True))


def _failed(row: OutboxMail, error: Exception, now: datetime) -> None:
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:500]
    row.next_attempt_at = now + backoff(row.attempts)
    give_up_after = timedelta(hours=current_app.config["MAIL_GIVE_UP_AFTER_HOURS"])
    if now - row.created_at >= give_up_after:  # a week of trying: a person must look
        row.status = MailStatus.FAILED


def render_mail(kind: str, recipient: str, language: str, subject: Callable[[], str],
                complaint: Complaint | None = None, **context) -> dict:
    """The outbox row's columns for a mail (without the complaint): rendered, not stored yet. A
    mail about a complaint gets a Reply-To of its own, so the customer's answer lands on it."""
    from .inbound import reply_address_for

    with force_locale(language):
        context.update(complaint=complaint, language=language)
        return dict(kind=kind, recipient=recipient, language=language, subject=str(subject()),
                    body_text=render_template(f"mail/{kind}.txt", **context),
                    body_html=render_template(f"mail/{kind}.html", **context),
                    reply_to=reply_address_for(complaint) if complaint is not None else None)


def backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), BACKOFF_CAP)


def send_pending(now: datetime | None = None, limit: int = 100) -> tuple[int, int]:
    """Send the mails that are due; returns (sent, failed). Each mail is committed on its own."""
    now = now or utcnow()
    sent, failed = 0, write_waiting(now, limit)[1]
    for _ in range(limit):
        row = _claim_next(now, OutboxMail.body_text.is_not(None))
        if row is None:
            break
        try:
            message = MailMessage(subject=row.subject, recipients=[row.recipient], body=row.body_text,
                                  html=row.body_html, reply_to=row.reply_to,
                                  # Our answers to a mail that came in never start a loop with an
                                  # autoresponder (RFC 3834); every other mail may be answered.
                                  extra_headers=AUTO_REPLY_HEADERS if row.kind in AUTO_REPLIES else None)
            mail.send(message)
        except Exception as error:  # any failure of the mail server: try again later
            _failed(row, error, now)
            failed += 1
            db.session.commit()
            continue
        row.status, row.sent_at = MailStatus.SENT, utcnow()
        row.attempts += 1
        sent += 1
        db.session.commit()
    return sent, failed
