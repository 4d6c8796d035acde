"""Did we put it right? Three questions after a complaint ended, asked once, counted honestly.

Seed text 004: the best scores of all come from a complaint that was put right, and complaints are
read next to satisfaction, not alone. The rules, and why:
- We ask once per complaint: in the resolution mail, or (a complaint closed without one: the customer
  did not answer in time, or agreed to close it) in one mail of its own a day after it closed, with at
  most one reminder a week later. Never more.
- We ask about complaints only (a compliment or an idea is thanked, not surveyed), never a customer who
  withdrew or asked us to erase their details, and an address at most once in the admin's quiet days
  (30 by default), across all its complaints.
- A link never records anything by being opened (mail scanners open links): the page shows the
  questions, the mail's answer preselected, and only the customer's POST stores it.
- One answer per complaint, also from two tabs at once; it can be changed for 7 days. "Partly" or
  "no" flags the complaint for the owner and offers, on the same page, to open it again (right 10).
- `summary` gives the figures for any period and filter: asked, answered, solved shares, treatment,
  come-back share and the recovery index (solved and would come back, of those who answered).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext
from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..models import Complaint, Offer, SurveyAnswer, utcnow
from ..states import ComeBack, Kind, OfferState, Solved, Status
from .complaints import add_status_link, record_event, status_url
from .errors import DomainError
from .organisation import organisation_snapshot
from .outbox import public_url, queue_mail

CHANGE_DAYS = 7  # an answer can be changed this long after it was first given
ASK_AFTER_CLOSE = timedelta(days=1)  # the closing mail is read first
ASK_WINDOW = timedelta(days=8)  # a complaint closed longer ago than this is not asked any more
REMIND_AFTER = timedelta(days=7)
COMMENT_MAX = 2000
TREATMENT = range(1, 6)

# The sentence that asks, when the admin wrote none (linted like every customer text).
DEFAULT_SENTENCE = {
    "nl": "Wij willen weten of wij het goed hebben opgelost. Het zijn drie korte vragen, en het kost u een minuut.",
    "en": "We want to know if we put it right. There are three short questions, and they take you a minute.",
}
SENTENCE_FIELDS = ("survey_sentence_nl", "survey_sentence_en")


class SurveyError(DomainError):
    """An answer we cannot take (out of the choices, too long, no longer open to change)."""


def sentence(language: str) -> str:
    chosen = getattr(organisation_snapshot(), f"survey_sentence_{language}", None)
    return (chosen or "").strip() or DEFAULT_SENTENCE.get(language, DEFAULT_SENTENCE["nl"])


def feedback_url(token: str, solved: str | None = None) -> str:
    return public_url("public.feedback", token=token, **({"solved": solved} if solved else {}))


# --- whom we ask ---------------------------------------------------------------------------------

def _asked_recently(complaint: Complaint, now: datetime) -> bool:
    """This address was asked about another complaint within the quiet days."""
    days = organisation_snapshot().survey_quiet_days
    if not days or not complaint.email:
        return False
    return db.session.scalar(select(exists().where(
        func.lower(Complaint.email) == complaint.email.lower(), Complaint.id != complaint.id,
        Complaint.survey_asked_at >= now - timedelta(days=days)))) or False


def may_ask(complaint: Complaint, now: datetime | None = None) -> bool:
    """Whether we may ask this customer now (see the module's rules)."""
    now = now or utcnow()
    return bool(organisation_snapshot().surveys_on and complaint.kind == Kind.COMPLAINT and complaint.email
                and complaint.status in (Status.RESOLVED, Status.CLOSED) and complaint.withdrawn_at is None
                and complaint.survey_asked_at is None and complaint.anonymised_at is None
                and complaint.erasure_requested_at is None and not _asked_recently(complaint, now))


def can_answer(complaint: Complaint) -> bool:
    """The feedback page works for a complaint we asked about that has ended (not opened again)."""
    return (complaint.survey_asked_at is not None and complaint.kind == Kind.COMPLAINT
            and complaint.status in (Status.RESOLVED, Status.CLOSED) and complaint.anonymised_at is None)


def _take_asking(complaint: Complaint, now: datetime, remind: bool) -> bool:
    """Mark it asked in one conditional UPDATE: of two ticks (or a tick and a resolve), one asks."""
    taken = db.session.execute(
        update(Complaint).where(Complaint.id == complaint.id, Complaint.survey_asked_at.is_(None))
        .values(survey_asked_at=now, survey_remind_at=now + REMIND_AFTER if remind else None)
        .execution_options(synchronize_session=False))
    db.session.refresh(complaint)
    return taken.rowcount == 1


def ask_in_resolution_mail(complaint: Complaint, token: str, now: datetime) -> dict:
    """Called as the resolution mail is written: the survey's part of that mail, or {} when we do not
    ask. The mail is the asking, so it has no reminder."""
    if not may_ask(complaint, now) or not _take_asking(complaint, now, remind=False):
        return {}
    record_event(complaint, "survey_asked", actor="system", visible=False, via="resolved_mail")
    return survey_mail_context(complaint, token)


def survey_mail_context(complaint: Complaint, token: str) -> dict:
    return dict(survey_sentence=sentence(complaint.language), survey_url=feedback_url(token),
                survey_answers=[(choice, feedback_url(token, choice)) for choice in Solved])


def _mail_survey(complaint: Complaint, reminder: bool) -> None:
    token = add_status_link(complaint)
    queue_mail("survey", complaint.email, complaint.language,
               lambda: gettext("Did we put it right? (%(ref)s)", ref=complaint.reference),
               complaint, reminder=reminder, status_url=status_url(token), **survey_mail_context(complaint, token))


def ask_after_close(now: datetime | None = None) -> int:
    """A complaint closed without a resolution mail gets one mail that asks, a day after it closed.
    Returns how many were asked."""
    now = now or utcnow()
    if not organisation_snapshot().surveys_on:
        return 0
    due = db.session.scalars(
        select(Complaint).where(Complaint.status == Status.CLOSED, Complaint.kind == Kind.COMPLAINT,
                                Complaint.resolved_at.is_(None), Complaint.survey_asked_at.is_(None),
                                Complaint.closed_at <= now - ASK_AFTER_CLOSE,
                                Complaint.closed_at > now - ASK_WINDOW)).all()
    asked = 0
    for complaint in due:
        if not may_ask(complaint, now) or not _take_asking(complaint, now, remind=True):
            continue
        record_event(complaint, "survey_asked", actor="system", visible=False, via="survey_mail")
        _mail_survey(complaint, reminder=False)
        asked += 1
    db.session.flush()
    return asked


def remind(now: datetime | None = None) -> int:
    """One reminder, a week after the survey mail, to a customer who has not answered. Never more."""
    now = now or utcnow()
    due = db.session.scalars(
        select(Complaint).where(Complaint.survey_remind_at <= now, ~Complaint.survey_answer.has())).all()
    reminded = 0
    for complaint in due:
        taken = db.session.execute(
            update(Complaint).where(Complaint.id == complaint.id, Complaint.survey_remind_at.is_not(None))
            .values(survey_remind_at=None).execution_options(synchronize_session=False))
        db.session.refresh(complaint)
        if taken.rowcount != 1 or not can_answer(complaint) or complaint.erasure_requested_at is not None:
            continue  # another tick reminded them, or it was opened again or is being erased
        record_event(complaint, "survey_reminded", actor="system", visible=False)
        _mail_survey(complaint, reminder=True)
        reminded += 1
    db.session.flush()
    return reminded


# --- the answer ----------------------------------------------------------------------------------

def can_change(answer: SurveyAnswer | None, now: datetime | None = None) -> bool:
    return answer is None or (now or utcnow()) <= change_until(answer)


def change_until(answer: SurveyAnswer) -> datetime:
    return answer.answered_at + timedelta(days=CHANGE_DAYS)


def _checked(solved, treatment, come_back, comment) -> tuple[Solved, int, ComeBack, str | None]:
    if solved not in set(Solved):
        raise SurveyError(_l("Choose yes, partly or no"), "solved")
    try:
        treatment = int(treatment)
    except (TypeError, ValueError):
        treatment = 0
    if treatment not in TREATMENT:
        raise SurveyError(_l("Choose how we treated you"), "treatment")
    if come_back not in set(ComeBack):
        raise SurveyError(_l("Choose one of the three answers"), "come_back")
    comment = (comment or "").strip() or None
    if comment and len(comment) > COMMENT_MAX:
        raise SurveyError(_l("Your answer must be 2,000 characters or less"), "comment")
    return Solved(solved), treatment, ComeBack(come_back), comment


def record_answer(complaint: Complaint, solved, treatment, come_back, comment=None,
                  now: datetime | None = None) -> SurveyAnswer:
    """Store the customer's answer (or their change of it within the week). Two tabs sending at once
    make one answer: the second is a change of the first."""
    now = now or utcnow()
    if not can_answer(complaint):
        raise SurveyError(_l("We cannot take an answer on this complaint now."))
    solved, treatment, come_back, comment = _checked(solved, treatment, come_back, comment)
    answer = complaint.survey_answer
    if answer is None:
        answer = SurveyAnswer(complaint_id=complaint.id, solved=solved, treatment=treatment,
                              come_back=come_back, comment=comment, answered_at=now)
        try:
            with db.session.begin_nested():
                db.session.add(answer)
        except IntegrityError:  # the other tab's answer was stored a moment ago: this one changes it
            db.session.refresh(complaint)
            answer = complaint.survey_answer
        else:
            db.session.refresh(complaint)
            _after_answer(complaint, answer, "survey_answered", now)
            return answer
    if not can_change(answer, now):
        raise SurveyError(_l("We have your answer already. It can no longer be changed."))
    answer.solved, answer.treatment, answer.come_back, answer.comment = solved, treatment, come_back, comment
    answer.changed_at = now
    _after_answer(complaint, answer, "survey_changed", now)
    return answer


def _after_answer(complaint: Complaint, answer: SurveyAnswer, kind: str, now: datetime) -> None:
    record_event(complaint, kind, solved=str(answer.solved), treatment=answer.treatment,
                 come_back=str(answer.come_back))
    if answer.solved != Solved.YES:
        complaint.attention_at = now  # the owner reads that it is not (all) solved
    db.session.flush()


def not_solved(answer: SurveyAnswer | None) -> bool:
    return answer is not None and answer.solved != Solved.YES


# --- the figures ---------------------------------------------------------------------------------

@dataclass
class Summary:
    """The survey's figures for a period (complaints asked in it) and filter. Shares are of the
    customers who answered; None where nobody answered (never a 0 that was not measured)."""

    asked: int = 0
    answered: int = 0
    solved: dict = field(default_factory=lambda: {choice: 0 for choice in Solved})
    treatment: dict = field(default_factory=lambda: {score: 0 for score in TREATMENT})
    come_back: dict = field(default_factory=lambda: {choice: 0 for choice in ComeBack})
    recovered: int = 0  # said solved and would come back

    def add(self, solved, treatment, come_back, count: int) -> None:
        """`count` customers who answered these three."""
        self.answered += count
        self.solved[solved] += count
        self.treatment[treatment] += count
        self.come_back[come_back] += count
        if solved == Solved.YES and come_back == ComeBack.YES:
            self.recovered += count

    def _share(self, count: int) -> float | None:
        return count / self.answered if self.answered else None

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.asked if self.asked else None

    @property
    def solved_share(self) -> dict:
        return {choice: self._share(count) for choice, count in self.solved.items()}

    @property
    def come_back_share(self) -> float | None:
        return self._share(self.come_back[ComeBack.YES])

    @property
    def treatment_average(self) -> float | None:
        return sum(score * count for score, count in self.treatment.items()) / self.answered if self.answered else None

    @property
    def recovery_index(self) -> float | None:
        return self._share(self.recovered)


def filtered(query, category_id=None, kind=None, channel=None, root_cause=None, owner_id=None, remedy=None,
             handled_as=None):
    """The query narrowed to complaints of these filters (insight's filters are these too);
    `handled_as` "none" is the complaints nobody classified yet."""
    if handled_as == "none":
        query = query.where(Complaint.handled_as.is_(None))
    elif handled_as is not None:
        query = query.where(Complaint.handled_as == handled_as)
    if kind is not None:
        query = query.where(Complaint.kind == kind)
    if category_id is not None:
        query = query.where(Complaint.category_id == category_id)
    if channel is not None:
        query = query.where(Complaint.channel == channel)
    if root_cause is not None:
        query = query.where(Complaint.root_cause == root_cause)
    if owner_id is not None:
        query = query.where(Complaint.owner_id == owner_id)
    if remedy is not None:  # what the customer said yes to
        query = query.where(exists().where(Offer.complaint_id == Complaint.id, Offer.remedy == remedy,
                                           Offer.state.in_([OfferState.ACCEPTED, OfferState.CARRIED_OUT])))
    return query


def summary(start: datetime, end: datetime, **filters) -> Summary:
    """The figures for the complaints asked from `start` up to (not including) `end`; filters:
    category_id, channel, root_cause, owner_id, remedy. Two grouped queries, whatever the number."""
    in_period = and_(Complaint.survey_asked_at >= start, Complaint.survey_asked_at < end)
    result = Summary()
    result.asked = db.session.scalar(filtered(select(func.count()).where(in_period), **filters)) or 0
    rows = db.session.execute(filtered(
        select(SurveyAnswer.solved, SurveyAnswer.treatment, SurveyAnswer.come_back, func.count(SurveyAnswer.id))
        .join(Complaint, Complaint.id == SurveyAnswer.complaint_id).where(in_period)
        .group_by(SurveyAnswer.solved, SurveyAnswer.treatment, SurveyAnswer.come_back), **filters)).all()
    for solved, treatment, come_back, count in rows:
        result.add(solved, treatment, come_back, count)
    return result


def summaries_by_category(start: datetime, end: datetime, category_ids: list[int], **filters) -> dict:
    """`summary` for each of these categories at once: {category id: Summary}, two grouped queries."""
    found = {category_id: Summary() for category_id in category_ids}
    if not category_ids:
        return found
    in_period = and_(Complaint.survey_asked_at >= start, Complaint.survey_asked_at < end,
                     Complaint.category_id.in_(category_ids))
    for category_id, count in db.session.execute(filtered(
            select(Complaint.category_id, func.count()).where(in_period)
            .group_by(Complaint.category_id), **filters)).all():
        found[category_id].asked = count
    rows = db.session.execute(filtered(
        select(Complaint.category_id, SurveyAnswer.solved, SurveyAnswer.treatment, SurveyAnswer.come_back,
               func.count(SurveyAnswer.id))
        .join(Complaint, Complaint.id == SurveyAnswer.complaint_id).where(in_period)
        .group_by(Complaint.category_id, SurveyAnswer.solved, SurveyAnswer.treatment, SurveyAnswer.come_back),
        **filters)).all()
    for category_id, solved, treatment, come_back, count in rows:
        found[category_id].add(solved, treatment, come_back, count)
    return found
