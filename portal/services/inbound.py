"""Customers answer the way they like: a reply to one of our mails lands on its complaint, and a mail
to the complaints address is a new signal.

Every mail about a complaint carries a Reply-To of its own, `klacht+<tag>@…` (`reply_address_for`):
the tag is a secret like a status link's token (only its hash is kept), never the reference. A mail
that comes in, by IMAP (`fetch_mailbox`, `flask portal fetch-mail`) or by the SMTP receiver
(`flask portal receive-mail`), goes through `receive`, and ends in one of these, kept in
`models.InboundMail` with the whole original for the agents:

- added: what the customer wrote, without the quoted history and signature (mail-parser-reply), is
  their message on the complaint, through the same command as a message on the status page (the
  owner is flagged; a wait for their answer ends, so paused promises go on);
- filed: a mail to the plain address is a new signal (channel "mail"), with the same confirmation
  mail, reference, dated timeline and status link as a filing on the portal;
- held: from another address than the complaint's: kept for the owner to add, never added silently;
- answered: too large, or for a complaint that was withdrawn, closed or erased: the sender gets one
  kind answer (marked Auto-Submitted, so no autoresponder answers it back);
- ignored: an auto-reply, an out-of-office, a bounce or a mailing list: never answered (no loops).

A mail read twice (a worker stopped between reading and moving it) counts once: its Message-ID (or
a hash of the mail) is unique.
"""
from __future__ import annotations

import email
import email.policy
import hashlib
import re
import secrets
import ssl
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

from flask import current_app
from flask_babel import gettext
from mailparser_reply import EmailReplyParser
from sqlalchemy import select, update

from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..models import Complaint, InboundMail, ReplyAddress, utcnow
from ..states import Channel, Kind, Status
from .complaints import add_customer_message, record_event
from .errors import DomainError
from .organisation import organisation_snapshot
from .outbox import public_url, queue_mail
from .secrets import hash_token
from .text import normalise_email

MAX_STORY = 5000  # as on the portal's "What happened?" page
_AUTOMATIC_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
_ATTRIBUTION = re.compile(r"^(op|on)\s.+\s(schreef|wrote)\b.*:$", re.I)
_MAILER_DAEMONS = re.compile(r"^(mailer-daemon|postmaster|no-?reply)@", re.I)


# --- the address customers answer to ----------------------------------------------------------------

def _split(address: str) -> tuple[str, str]:
    local, _, domain = address.rpartition("@")
    return local, domain.lower()


def reply_address_for(complaint: Complaint) -> str | None:
    """A new Reply-To for a mail about this complaint (None when no complaints address is set)."""
    address = current_app.config.get("MAIL_REPLY_ADDRESS")
    if not address or complaint.id is None:
        return None
    tag = secrets.token_hex(16)  # lower case only: some mail servers change the case of a local part
    db.session.add(ReplyAddress(complaint_id=complaint.id, tag_hash=hash_token(tag)))
    local, domain = _split(address)
    return f"{local}+{tag}@{domain}"


def _tag_in(addresses: list[str]) -> tuple[bool, str | None]:
    """(whether the mail was sent to the complaints address at all, the tag it carried if any)."""
    local, domain = _split(current_app.config.get("MAIL_REPLY_ADDRESS") or "")
    ours = False
    for address in addresses:
        their_local, their_domain = _split(address.strip().lower())
        if their_domain != domain:
            continue
        if their_local == local.lower():
            ours = True
        elif their_local.startswith(local.lower() + "+"):
            return True, their_local[len(local) + 1:]
    return ours, None


# --- reading a mail --------------------------------------------------------------------------------

def _automatic(message: EmailMessage, sender: str) -> bool:
    """An auto-reply, an out-of-office, a bounce (a delivery report) or a list: never answered."""
    auto_submitted = (message.get("Auto-Submitted") or "no").strip().lower()
    return (auto_submitted != "no"
            or (message.get("Precedence") or "").strip().lower() in _AUTOMATIC_PRECEDENCE
            or any(message.get(header) for header in ("X-Autoreply", "X-Autorespond", "List-Id", "List-Unsubscribe"))
            or message.get_content_type() == "multipart/report"
            or (message.get("Return-Path") or "").strip() == "<>"
            or not sender or bool(_MAILER_DAEMONS.match(sender)))


def _text_of(message: EmailMessage) -> str:
    """The mail's text: its plain part, or its HTML part without the tags."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        text = part.get_content()
    except (LookupError, UnicodeError):  # an unknown charset: read what can be read
        text = part.get_payload(decode=True).decode("utf-8", errors="replace")
    if part.get_content_type() == "text/html":
        text = re.sub(r"(?is)<(script|style).*?</\1>", "", text)
        text = re.sub(r"(?i)<br\s*/?>|</p>|</div>", "\n", text)
        text = re.sub(r"<[^>]+>", "", text)
    return text.replace("\r\n", "\n").strip()


def without_quotes(text: str) -> str:
    """What the customer wrote this time: the quoted history of our mails and their signature gone."""
    if not text:
        return ""
    replies = EmailReplyParser(languages=["nl", "en"]).read(text=text).replies
    latest = replies[0].body.strip() if replies else ""
    lines = (latest or text).strip().splitlines()
    # What the library leaves: a quoted block at the end ("> ..."), and above it Gmail's Dutch
    # attribution "Op di 1 dec 2026 om 11:00 schreef Naam <adres>:" (the library knows "... schreef:").
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith(">")):
        lines.pop()
    if lines and _ATTRIBUTION.match(lines[-1].strip()):
        lines.pop()
    return "\n".join(lines).strip() or text.strip()


def _message_key(message: EmailMessage, raw: bytes) -> str:
    found = (message.get("Message-ID") or "").strip()
    return found[:300] if found else "sha256:" + hashlib.sha256(raw).hexdigest()


# --- what becomes of it ----------------------------------------------------------------------------

def receive(raw: bytes, recipients: list[str] | None = None) -> InboundMail:
    """Take one mail (its bytes as received; `recipients`: the SMTP envelope's, if any). Flushes."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    key = _message_key(message, raw)
    seen = db.session.scalar(select(InboundMail).where(InboundMail.message_key == key))
    if seen is not None:
        return seen  # read twice: it counted the first time
    sender = normalise_email(parseaddr(str(message.get("From") or ""))[1])
    found = InboundMail(message_key=key, sender=sender[:254], subject=str(message.get("Subject") or "")[:300],
                        received_at=utcnow(), outcome="received")  # each way below says what became of it
    db.session.add(found)
    if _automatic(message, sender):
        found.outcome, found.reason = "ignored", "automatic"
        db.session.flush()
        return found
    if len(raw) > current_app.config["INBOUND_MAX_BYTES"]:
        found.outcome, found.reason = "answered", "too_large"
        _answer(found, None, "too_large")
        db.session.flush()
        return found
    found.original = _text_of(message)
    found.reply_text = without_quotes(found.original)[:MAX_STORY]
    headers = [str(value) for header in ("To", "Cc", "Delivered-To", "X-Original-To")
               for value in message.get_all(header, [])]
    addresses = [address for _name, address in getaddresses(headers)]
    _ours, tag = _tag_in([*addresses, *(recipients or [])])
    complaint = _complaint_for(tag) if tag else None
    if complaint is None:
        _file_new_signal(found, message)
    else:
        _add_to(found, complaint, message)
    db.session.flush()
    return found


def _complaint_for(tag: str) -> Complaint | None:
    return db.session.scalar(select(Complaint).join(ReplyAddress, ReplyAddress.complaint_id == Complaint.id)
                             .where(ReplyAddress.tag_hash == hash_token(tag.lower())))


def _add_to(found: InboundMail, complaint: Complaint, mail: EmailMessage) -> None:
    found.complaint_id = complaint.id
    if complaint.anonymised_at is not None or complaint.status in (Status.WITHDRAWN, Status.CLOSED):
        found.outcome, found.reason = "answered", "ended"
        _answer(found, complaint, "ended")
        return
    if not found.reply_text:
        found.outcome, found.reason = "ignored", "empty"
        return
    if found.sender != normalise_email(complaint.email):
        # Someone else, or the customer from another address: the owner decides (never added silently).
        found.outcome, found.reason = "held", "other_address"
        complaint.attention_at = utcnow()
        record_event(complaint, "mail_held", actor="system", visible=False)
        return
    found.message = add_customer_message(complaint, found.reply_text)
    found.outcome = "added"
    record_event(complaint, "mail_reply", actor="customer", visible=False)
    _take_files(mail, complaint, found.message)


def _file_new_signal(found: InboundMail, message: EmailMessage) -> None:
    from .filing import Answers, TooManyOpen, file_complaint

    name = parseaddr(str(message.get("From") or ""))[0].strip() or found.sender.split("@")[0]
    story = found.reply_text or found.subject or ""
    if not story.strip():
        found.outcome, found.reason = "ignored", "empty"
        return
    organisation_language = organisation_snapshot().default_language or "nl"
    answers = Answers(kind=Kind.COMPLAINT, story=story, name=name[:120], email=found.sender,
                      language=organisation_language)
    try:
        filed = file_complaint(answers, channel=Channel.MAIL,
                               submission_key="mail-" + hashlib.sha256(found.message_key.encode()).hexdigest()[:40])
    except TooManyOpen:
        found.outcome, found.reason = "answered", "too_many_open"
        _answer(found, None, "too_many_open")
        return
    found.complaint_id, found.outcome = filed.complaint.id, "filed"
    _take_files(message, filed.complaint, None)


def _take_files(mail: EmailMessage, complaint: Complaint, message) -> None:
    """The mail's photos and papers, checked as an upload is (those that fail are left out)."""
    from . import attachments

    files = [(part.get_filename() or "", part.get_payload(decode=True) or b"") for part in mail.iter_attachments()]
    checked = attachments.check(files, lenient=True)
    if checked:
        attachments.store(checked, added_by="mail", complaint=complaint, message=message)


def _answer(found: InboundMail, complaint: Complaint | None, reason: str) -> None:
    """One kind answer to a mail we could not take (never to an automatic one: see `_automatic`)."""
    recipient = found.sender
    if not recipient:
        return
    language = complaint.language if complaint is not None else organisation_snapshot().default_language or "nl"
    if reason == "ended" and complaint is not None and complaint.anonymised_at is not None:
        found.reply_text = found.original = None  # they asked us to forget them: their new words too
        found.sender = "-"
    queue_mail("mail_not_added", recipient, language,
               lambda: gettext("We could not add your mail"), None, reason=reason, start_url=public_url("public.start"),
               reference=complaint.reference if complaint is not None and complaint.anonymised_at is None else None,
               max_mb=current_app.config["INBOUND_MAX_BYTES"] // 1_000_000)


# --- a held mail: the owner decides ----------------------------------------------------------------

class InboundError(DomainError):
    pass


def _decide(found: InboundMail, agent, outcome: str, not_owner) -> Complaint:
    """Take a held mail for the owner's decision. A conditional UPDATE: of a double click, or two
    tabs, one decides and the other is told the mail no longer waits (never added twice)."""
    complaint = found.complaint
    if found.outcome != "held" or complaint is None:
        raise InboundError(_l("This mail is no longer waiting for you."))
    if complaint.owner_id != agent.id:
        raise InboundError(not_owner)
    taken = db.session.execute(
        update(InboundMail).where(InboundMail.id == found.id, InboundMail.outcome == "held")
        .values(outcome=outcome, decided_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if taken != 1:
        raise InboundError(_l("This mail is no longer waiting for you."))
    db.session.refresh(found)
    return complaint


def add_held(found: InboundMail, agent) -> None:
    """The owner adds a held mail to the conversation (as the customer's message)."""
    complaint = _decide(found, agent, "added", _l("Only the owner of the complaint can add this mail."))
    found.message = add_customer_message(complaint, found.reply_text)
    record_event(complaint, "mail_held_added", actor="agent", user_id=agent.id, visible=False, name=agent.name)
    db.session.flush()


def set_aside(found: InboundMail, agent) -> None:
    complaint = _decide(found, agent, "ignored", _l("Only the owner of the complaint can set this mail aside."))
    found.reason = "set_aside"
    record_event(complaint, "mail_held_set_aside", actor="agent", user_id=agent.id, visible=False,
                 name=agent.name)
    db.session.flush()


# --- the two ways in -------------------------------------------------------------------------------

def fetch_mailbox(config: dict, on_taken=None) -> int:
    """Read the IMAP mailbox: each mail is taken and committed, then moved to the done folder, so a
    worker stopped at any moment loses nothing and adds nothing twice. Returns how many were taken."""
    from imap_tools import MailBox

    context = ssl.create_default_context(cafile=config.get("IMAP_CA_FILE") or None)
    taken = 0
    with MailBox(config["IMAP_HOST"], config["IMAP_PORT"], ssl_context=context).login(
            config["IMAP_USER"], config["IMAP_PASSWORD"], initial_folder=config["IMAP_FOLDER"]) as box:
        done = config["IMAP_DONE_FOLDER"]
        if not box.folder.exists(done):
            box.folder.create(done)
        for mail in box.fetch(mark_seen=False, bulk=False):
            try:
                receive(mail.obj.as_bytes())
                db.session.commit()
            except Exception:
                db.session.rollback()  # left in the mailbox: tried again at the next round
                current_app.logger.exception("inbound mail %s could not be taken", mail.uid)
                continue
            taken += 1
            if on_taken is not None:
                on_taken(mail)
            box.move(mail.uid, done)
    return taken


class SmtpHandler:
    """The SMTP receiver's handler (aiosmtpd): a mail is accepted only once it is stored; when that
    fails the sender hears "try again later" (451) and its server keeps the mail."""

    def __init__(self, app):
        self.app = app

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self.app.app_context():
            try:
                receive(envelope.original_content or envelope.content, recipients=list(envelope.rcpt_tos))
                db.session.commit()
            except Exception:
                db.session.rollback()
                self.app.logger.exception("inbound mail could not be stored")
                return "451 Please try again later"
            finally:
                db.session.remove()
        return "250 Message accepted"

