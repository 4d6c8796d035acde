"""The monthly review: "this is what we took on this month: do we see the costs go down, the
customers' experience go up?" (seed 001), and rather five stories with quotes than a sheet of 350
complaints. A supervisor picks the five; every quote is the customer's own words with names, e-mail
addresses and numbers masked, so a manager (who sees no personal data) can read and print it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..models import Complaint, Improvement, Message, MonthStory, Offer, User
from ..states import OfferState
from .errors import DomainError
from .insight import Period
from .complaints import find_by_reference

STORIES_PER_MONTH = 5
MASK = "•••"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Four digits or more, with the spaces, dots and dashes between them (phone numbers, IBANs, order
# and customer numbers, house numbers with a postcode): an amount like "25,50" or "3 days" stays.
_NUMBER = re.compile(r"\+?\d(?:[\d .\-/]{2,}\d)")
NAME_PARTICLES = {"van", "der", "den", "ter", "ten", "het", "von", "del", "della", "los", "las", "bin", "ibn",
                  "dos", "das", "abu", "uit"}
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}\s?[A-Z]{4}(?:\s?\d){6,}")


class ReviewError(DomainError):
    """A story cannot be picked or removed as asked."""


def month_period(month: str) -> Period:
    """'2026-11' as its period; anything else is a 404 for the page (None)."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", month or "")
    if not match or not 1 <= int(match[2]) <= 12 or not 2000 <= int(match[1]) <= 2999:
        return None
    return Period.month(int(match[1]), int(match[2]))


def mask(text: str | None, names: list[str]) -> str:
    """The text with e-mail addresses, long numbers and these people's names replaced by •••: the
    whole name, then each part of three letters or more ("Amrani"), but never a word like "de" or
    "van" that is part of many names and of every sentence."""
    if not text:
        return ""
    text = _EMAIL.sub(MASK, text)
    text = _IBAN.sub(MASK, text)
    text = _NUMBER.sub(lambda found: MASK if sum(c.isdigit() for c in found[0]) >= 4 else found[0], text)
    whole = sorted({" ".join((name or "").split()) for name in names if name and name.strip()}, key=len, reverse=True)
    parts = sorted({part for name in names for part in re.split(r"[\s\-']+", name or "")
                    if len(part) >= 3 and part.lower() not in NAME_PARTICLES}, key=len, reverse=True)
    for part in whole + parts:
        text = re.sub(rf"(?<!\w){re.escape(part)}(?!\w)", MASK, text, flags=re.IGNORECASE)
    return text


@dataclass
class Story:
    id: int
    complaint: Complaint
    quote: str | None  # None: erased at the customer's request (it still counts in the figures)
    we_did: str | None  # our last reply, masked
    remedy: Offer | None  # what the customer said yes to
    afterwards: object | None  # their SurveyAnswer, if they answered
    afterwards_comment: str | None


def stories(month: str) -> list[Story]:
    found = []
    rows = db.session.scalars(select(MonthStory).where(MonthStory.month == month).order_by(MonthStory.position)).all()
    staff = db.session.scalars(select(User.name)).all() if rows else []  # our names are masked too
    for row in rows:
        complaint = row.complaint
        erased = complaint.anonymised_at is not None
        names = [complaint.name, *staff]
        reply = db.session.scalar(select(Message.body).where(
            Message.complaint_id == complaint.id, Message.author == "agent").order_by(Message.id.desc()).limit(1))
        remedy = next((o for o in reversed(complaint.offers)
                       if o.state in (OfferState.ACCEPTED, OfferState.CARRIED_OUT)), None)
        answer = complaint.survey_answer
        found.append(Story(
            row.id, complaint, None if erased else mask(complaint.story, names),
            None if erased or not reply else mask(reply, names), remedy, answer,
            None if erased or answer is None else mask(answer.comment, names) or None))
    return found


def pick_story(supervisor: User, month: str, reference: str) -> MonthStory:
    """Add a complaint to the month's five stories; refused politely when there are five already,
    when the reference is unknown or when it is picked already. Two supervisors picking at once take
    different positions, or the second is refused: never six."""
    if month_period(month) is None:
        raise ReviewError(_l("This month does not exist."), "reference")
    complaint = find_by_reference(reference)
    if complaint is None:
        raise ReviewError(_l("No complaint has this reference. Check it and try again."), "reference")
    taken = db.session.scalars(select(MonthStory).where(MonthStory.month == month)).all()
    if any(story.complaint_id == complaint.id for story in taken):
        raise ReviewError(_l("This complaint is one of this month's stories already."), "reference")
    free = [position for position in range(1, STORIES_PER_MONTH + 1) if position not in {s.position for s in taken}]
    if not free:
        raise ReviewError(_l("This month has five stories. Remove one first."), "reference")
    story = MonthStory(month=month, position=free[0], complaint_id=complaint.id, picked_by_id=supervisor.id)
    try:
        with db.session.begin_nested():
            db.session.add(story)
            db.session.flush()
    except IntegrityError:
        raise ReviewError(_l("Someone else just picked a story. Look at the list again."), "reference") from None
    return story


def remove_story(month: str, story_id: int) -> bool:
    story = db.session.get(MonthStory, story_id)
    if story is None or story.month != month:
        return False
    db.session.delete(story)
    db.session.flush()
    return True


def improvements_of(period: Period) -> list[Improvement]:
    """The published improvements whose "since" date falls in the period."""
    return db.session.scalars(select(Improvement).where(
        Improvement.published_at.is_not(None), Improvement.since >= period.first, Improvement.since <= period.last)
        .order_by(Improvement.since)).all()


def stories_count(month: str) -> int:
    return db.session.scalar(select(func.count(MonthStory.id)).where(MonthStory.month == month)) or 0
