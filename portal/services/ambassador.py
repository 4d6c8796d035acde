"""Every colleague an ambassador (seed 000): anyone in the organisation who hears a customer (at a
party, in a shop, on the street) passes it on in a minute, and sees what became of it.

Most of what colleagues hear is complaining that needed someone to listen and a sincere sorry, not a
case: "I listened, and that was enough" is recorded as such, a signal for insight, without promises
to anyone. What needs solving, with the customer's consent to be contacted, is filed through the
same command as the customer's own filing (`filing.file_complaint`, channel "ambassador"): the
customer gets the same mail, dated timeline and status link. Without consent no contact details are
kept at all, even when typed.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..models import Complaint, Event, Improvement, ImprovementLink, User, utcnow
from ..states import Channel, HandledAs, Kind, Status
from . import filing
from .complaints import record_event
from .errors import DomainError, refuse
from .secrets import new_draft_key, new_reference
from .text import clean_line, clean_text, is_email_address, is_phone_number

HEARD_WHERE = ("party", "shop", "street", "online", "other")
# What the colleague did: listened (enough, no case), it needs solving (a complaint), a compliment, an idea.
OUTCOMES = {"listened": Kind.COMPLAINT, "solve": Kind.COMPLAINT, "compliment": Kind.COMPLIMENT,
            "idea": Kind.SUGGESTION}
WORDS_MIN, WORDS_MAX = 5, 5_000


class AmbassadorError(DomainError):
    """What the colleague sent cannot be passed on as it is; `problems` names each field."""


@dataclass(frozen=True)
class PassedOn:
    complaint: Complaint
    filed: bool  # a real complaint (or compliment, idea) the customer hears of; else a signal only


def pass_on(colleague: User, *, words: str, where: str, outcome: str, may_contact: bool = False,
            name: str | None = None, email: str | None = None, phone: str | None = None,
            language: str = "nl", submission_key: str | None = None, now: datetime | None = None) -> PassedOn:
    """What a colleague heard, passed on. The same form sent twice passes it on once."""
    now = now or utcnow()
    problems = []
    text = words if isinstance(words, str) and clean_text(words) else ""
    if not text:
        problems.append(("words", _l("Write what the customer told you")))
    elif len(clean_text(text)) < WORDS_MIN:
        problems.append(("words", _l("Write a little more: at least 5 characters")))
    elif len(clean_text(text)) > WORDS_MAX:
        problems.append(("words", _l("What you heard must be 5,000 characters or less")))
    if where not in HEARD_WHERE:
        problems.append(("where", _l("Choose where you heard it")))
    if outcome not in OUTCOMES:
        problems.append(("outcome", _l("Choose what you did")))
    contact = dict(name=clean_line(name), email=clean_line(email), phone=clean_line(phone) or None)
    wants_contact = may_contact and outcome in ("solve", "compliment", "idea")
    if wants_contact:
        if not contact["name"]:
            problems.append(("name", _l("Write the customer's name, or untick that we may contact them")))
        if not contact["email"]:
            problems.append(("email", _l("Write the customer's email address, or untick that we may contact them")))
        elif not is_email_address(contact["email"]):
            problems.append(("email", _l("Write the email address like name@example.com")))
        if contact["phone"] and not is_phone_number(contact["phone"]):
            problems.append(("phone", _l("Write the phone number like 06 12345678")))
        if language not in ("nl", "en"):
            problems.append(("language", _l("Choose the language the customer speaks")))
    refuse(problems, AmbassadorError)

    submission_key = submission_key or new_draft_key()
    earlier = db.session.scalar(select(Complaint).where(Complaint.submission_key == submission_key))
    if earlier is not None:  # the same form sent twice (a double tap, a second tab)
        return PassedOn(earlier, filed=earlier.email != "")
    if wants_contact:
        answers = filing.validate_answers(dict(
            story=text, category="other", wish="fix", name=contact["name"], email=contact["email"],
            phone=contact["phone"], contact_by="email", language=language), OUTCOMES[outcome])
        filed = filing.file_complaint(answers, channel=Channel.AMBASSADOR, filed_by=colleague,
                                      submission_key=submission_key, now=now)
        complaint = filed.complaint
        complaint.passed_on_by_id, complaint.heard_where = colleague.id, where
        db.session.flush()
        return PassedOn(complaint, filed=True)
    # A signal only: no contact details, so no promises, no mail and no status link to anyone.
    kind = OUTCOMES[outcome]
    listened = outcome == "listened"
    complaint = Complaint(
        reference=new_reference(), submission_key=submission_key, kind=kind, channel=Channel.AMBASSADOR,
        story=text, name="", email="", language=language if language in ("nl", "en") else "nl",
        created_at=now, updated_at=now, passed_on_by_id=colleague.id, heard_where=where,
        # Listening was enough, or a compliment or an idea with nobody to answer: it ends here. What
        # needs solving waits in the queue, so someone fixes what caused it.
        status=Status.RECEIVED if outcome == "solve" else Status.CLOSED,
        closed_at=None if outcome == "solve" else now,
        handled_as=HandledAs.LISTEN if listened else None,
        close_reason=None)
    db.session.add(complaint)
    record_event(complaint, "passed_on", actor="agent", user_id=colleague.id, visible=False,
                 name=colleague.name, where=where, outcome=outcome)
    db.session.flush()
    return PassedOn(complaint, filed=False)


@dataclass
class MySignal:
    complaint: Complaint
    outcome: str  # "listened", "solve", "compliment", "idea"
    improvements: list


@dataclass
class MySignals:
    signals: list
    counts: Counter  # listened, solved (a complaint that was solved or closed), open, compliments, ideas

    @property
    def total(self) -> int:
        return len(self.signals)


def my_signals(colleague: User, limit: int = 200) -> MySignals:
    """What this colleague passed on, newest first, with what became of each; never anyone else's."""
    complaints = db.session.scalars(select(Complaint).where(Complaint.passed_on_by_id == colleague.id)
                                    .order_by(Complaint.id.desc()).limit(limit)).all()
    linked: dict = {}
    # What the colleague chose, from the "passed_on" events of these complaints: one query, not one
    # per complaint.
    chosen = {}
    if complaints:
        chosen = {complaint_id: (data or {}).get("outcome") for complaint_id, data in db.session.execute(
            select(Event.complaint_id, Event.data).where(Event.kind == "passed_on",
                                                         Event.complaint_id.in_([c.id for c in complaints])))}
        for complaint_id, improvement in db.session.execute(
                select(ImprovementLink.complaint_id, Improvement).join(
                    Improvement, Improvement.id == ImprovementLink.improvement_id)
                .where(ImprovementLink.complaint_id.in_([c.id for c in complaints]),
                       Improvement.published_at.is_not(None))).all():
            linked.setdefault(complaint_id, []).append(improvement)
    counts, signals = Counter(), []
    for complaint in complaints:
        outcome = chosen.get(complaint.id)
        if outcome is None:  # filed as a real complaint, compliment or idea
            outcome = {Kind.COMPLIMENT: "compliment", Kind.SUGGESTION: "idea"}.get(complaint.kind, "solve")
        if outcome == "listened":
            counts["listened"] += 1
        elif outcome == "solve":
            counts["solved" if complaint.status in Status.ENDED else "open"] += 1
        else:
            counts[outcome] += 1
        signals.append(MySignal(complaint, outcome, linked.get(complaint.id, [])))
    return MySignals(signals, counts)


# --- joining: a colleague makes their own account with a work address ----------------------------

def allowed_domains(text: str | None) -> list[str]:
    """The admin's domains ("Example.nl, example.com") as a clean list: lower case, no @, no blanks."""
    return [part.strip().lower().lstrip("@") for part in (text or "").replace(";", ",").split(",") if part.strip()]


def domains_problem(text: str | None) -> str | None:
    """What is wrong with the admin's list of domains, in a sentence; None when it is fine."""
    import re

    for domain in allowed_domains(text):
        if not re.fullmatch(r"(?=.{4,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}", domain):
            return str(_l("Write each domain like example.nl, with a comma between them"))
    return None


def join(name: str | None, email: str | None, language: str, now: datetime | None = None) -> None:
    """A colleague asks for an ambassador account. The answer is the same whatever happens, so nobody
    learns which addresses work here: with an address at one of the admin's domains a welcome link is
    mailed (an existing account gets the usual link for a new password); with any other, nothing."""
    from .organisation import get_organisation
    from .people import create_user
    from .secrets import new_draft_key as random_secret
    from .sign_in import request_password_reset, welcome
    from .text import normalise_email

    problems = []
    name, address = clean_line(name), normalise_email(clean_line(email) or "")
    if not name:
        problems.append(("name", _l("Write your name")))
    elif len(name) > 120:
        problems.append(("name", _l("Your name must be 120 characters or less")))
    if not address:
        problems.append(("email", _l("Write your work email address")))
    elif not is_email_address(address):
        problems.append(("email", _l("Write the email address like name@example.com")))
    refuse(problems, AmbassadorError)
    if address.rsplit("@", 1)[1] not in allowed_domains(get_organisation().colleague_domains):
        return
    existing = db.session.scalar(select(User).where(User.email == address))
    if existing is not None:
        request_password_reset(address, language, now)
        return
    person = create_user(email=address, name=name, password=random_secret() + random_secret(), role="colleague")
    welcome(person, language, now)
