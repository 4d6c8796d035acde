"""The insight summary: every count the insight pages add up, kept once per local day and category.

A year of a million complaints is three million promises and a million messages: reading them for
every page takes seconds. So each count is kept here per local day of the organisation and per
category (`models.InsightDay`), and a page adds up at most a few hundred small rows. The figures
stay exact, not estimates, because nothing is ever adjusted by a guess:

- Whatever changes a complaint, or a promise, offer, message, event or survey answer of it, leaves
  a note (`models.InsightStale`): through the session (`_note_flushed`), through a guarded UPDATE
  (`_note_bulk_update`) or at filing (`note_filed`). A change of the calendar or time zone notes
  that everything is stale.
- `bring_up_to_date` turns the notes into days (the days the complaint counts on now, and the days
  a changed date was on before) and counts those days again from scratch, with the same queries a
  full rebuild uses. The worker does it every few seconds (`flask portal send-mail --loop`, and
  `flask portal tick`); a page does whatever is left before it reads, so it never shows a figure
  older than the page.

The keys of a day's counts are listed in `KEYS`; tests/services/test_insight_summary.py checks that
every figure read from here equals the same figure counted from the complaints themselves.
"""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from functools import cached_property

from flask import g, has_request_context
from sqlalchemy import (Numeric, and_, case, cast, delete, event, false, func, insert, inspect, or_, select, text,
                        union_all)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BinaryExpression, BindParameter
from sqlalchemy.sql.operators import eq

from ..extensions import db
from ..models import (ClosingDay, Complaint, Event, InsightDay, InsightStale, Message, Offer, Organisation, Promise,
                      SurveyAnswer)
from ..states import Kind, OfferState, Status, Wish
from .organisation import get_calendar

ALL, NO_CATEGORY = -1, 0
PUT_TO_CUSTOMER = frozenset({OfferState.OFFERED, OfferState.ACCEPTED, OfferState.CARRIED_OUT, OfferState.DECLINED})
ACCEPTED = frozenset({OfferState.ACCEPTED, OfferState.CARRIED_OUT})
CHUNK_DAYS = 31  # days counted in one pass of each query
# An advisory lock (PostgreSQL) so two readers never count the same days at once.
_LOCK_KEY = 4_815_162_342

# What a day's counts hold (prefix:* keys carry a value after the colon).
KEYS = {
    "kind:*": "signals filed, by kind", "channel:*": "signals filed, by channel",
    "handled:*": "complaints filed, by what they were handled as ('' = not classified yet)",
    "cause:*": "complaints filed, by root cause ('' = none yet)",
    "dated": "signals filed with a timeline", "waiting": "signals filed without a reply from us yet",
    "escalated": "complaints filed that were escalated", "wrote_first": "complaints whose customer wrote first",
    "hours:*": "signals filed, by working hours to our first reply (rounded to 0.1)",
    "handovers": "hand-overs of the signals filed",
    "ended": "signals that ended (resolved, closed, withdrawn)", "asked_money": "complaints ended asking money",
    "asked_money_offered": "of those, with an offer", "with_offer": "complaints ended with an offer",
    "accepted": "complaints ended with an accepted offer", "resolved": "complaints ended solved",
    "closed": "complaints with an end moment (the complaints return)", "upheld": "of those, with an accepted offer",
    "within_3wd": "closed within 3 working days", "within_4w": "closed within 4 weeks",
    "w4_8": "closed in 4 to 8 weeks", "over_8w": "closed after 8 weeks", "over_6w": "closed after 6 weeks",
    "kept:*": "promises due, kept in time, by step", "missed:*": "promises due, missed, by step",
    "moved": "promises due that were moved before they were missed",
    "state:*": "offers made, by state", "money*": "offers put to the customer: count, offered, accepted, carried "
    "(money:, money.remedy:<r>:, money.cause:<c>:)", "effect:*": "offered on complaints, by root cause (cents)",
    "redress": "carried out on complaints (cents), by the day it was carried out",
    "score:*": "our replies, by reading score (rounded)", "replies": "our scored replies",
    "warned": "of those, sent after a warning", "reopened": "reopenings",
    "asked": "asked the survey", "solved:*": "survey answers", "treatment:*": "survey answers",
    "come_back:*": "survey answers", "recovered": "said solved and would come back",
}
# Kept for each category also in `brief` (what a page shows per category beside the totals).
BRIEF_PREFIXES = ("kind:", "cause:", "money:", "effect:", "solved:", "treatment:", "come_back:")
BRIEF_KEYS = frozenset({"asked", "recovered", "closed"})


def _brief(counts: dict) -> dict:
    return {key: value for key, value in counts.items() if key in BRIEF_KEYS or key.startswith(BRIEF_PREFIXES)}


# --- noting what changed -------------------------------------------------------------------------
#
# A note names the days to count again: a day itself, or a complaint and which of its days ("all":
# a dimension every row of it is counted under changed; "filed", "ended", "survey": that one day,
# worked out when the note is folded in). A change that no figure reads (who owns it, when it was
# last looked at, a customer's message after our reply) leaves no note.

_EVERY_DAY = frozenset({"kind", "channel", "category_id", "root_cause"})
_FILED_DAY = frozenset({"handled_as", "timeline_id", "escalated_at", "first_reply_at", "first_reply_hours",
                        "customer_wrote_first"})
_ENDED_DAY = frozenset({"status", "resolved_at", "closed_at", "withdrawn_at", "wish", "offer_reached_at",
                        "offer_accepted_at"})
_ENDS = ("resolved_at", "closed_at", "withdrawn_at")
_PROMISE = frozenset({"due_at", "state", "missed_at", "key"})
_OFFER = frozenset({"state", "amount_cents", "remedy", "carried_out_at", "made_at"})
_CHILDREN = (Promise, Offer, Message, Event, SurveyAnswer)
_CALENDAR = ("timezone", "opening_hours", "holiday_country", "holiday_subdiv", "liberation_day_every_year")


def _local_day(moment: datetime | None) -> date | None:
    return get_calendar().local_date(moment) if moment is not None else None


class _Notes:
    def __init__(self):
        self.parts: set = set()  # (complaint id, part)
        self.days: set = set()
        self.everything = False

    def complaint(self, complaint_id, part: str) -> None:
        if complaint_id is not None:
            self.parts.add((complaint_id, part))

    def moments(self, *moments) -> None:
        self.days.update(_local_day(moment) for moment in moments if moment is not None)

    def write(self, connection) -> None:
        rows = [{"complaint_id": cid, "part": part, "day": None} for cid, part in sorted(self.parts)]
        rows += [{"complaint_id": None, "part": None, "day": day} for day in sorted(self.days - {None})]
        if self.everything:
            rows.append({"complaint_id": None, "part": None, "day": None})
        if rows:
            connection.execute(insert(InsightStale), rows)


def _changed(obj) -> tuple[set, object]:
    state = inspect(obj)
    return {attr.key for attr in state.attrs if attr.history.has_changes()}, state


def _old_and_new(state, name: str) -> list:
    history = state.attrs[name].history
    return [*(history.deleted or ()), *(history.added or ()), *(history.unchanged or ())]


@event.listens_for(Session, "after_flush")
def _note_flushed(session, _flush_context) -> None:
    """After each flush: what the changed rows make stale (see the notes above)."""
    notes = _Notes()
    for obj in (*session.new, *session.dirty, *session.deleted):
        new = obj in session.new or obj in session.deleted
        if isinstance(obj, Complaint):
            _note_complaint(notes, obj, new)
        elif isinstance(obj, Promise):
            changed, state = _changed(obj)
            if new or changed & _PROMISE:
                notes.moments(*_old_and_new(state, "due_at"))
        elif isinstance(obj, Offer):
            changed, state = _changed(obj)
            if new or changed & _OFFER:
                notes.moments(obj.made_at, *_old_and_new(state, "carried_out_at"))
        elif isinstance(obj, Message):
            if obj.author == "agent" and obj.reading_score is not None:
                notes.moments(obj.created_at)
        elif isinstance(obj, Event):
            if obj.kind == "reopened":
                notes.moments(obj.created_at)
            elif obj.kind == "handed_over":
                notes.complaint(obj.complaint_id, "filed")
        elif isinstance(obj, SurveyAnswer):
            notes.complaint(obj.complaint_id, "survey")
        elif isinstance(obj, ClosingDay):
            notes.everything = True
        elif isinstance(obj, Organisation):
            state = inspect(obj)
            notes.everything = notes.everything or any(state.attrs[name].history.has_changes() for name in _CALENDAR)
    notes.write(session.connection())


def _note_complaint(notes: _Notes, complaint: Complaint, new: bool) -> None:
    if new:
        notes.complaint(complaint.id, "all")
        return
    changed, state = _changed(complaint)
    if changed & _EVERY_DAY:
        notes.complaint(complaint.id, "all")
    if changed & _FILED_DAY:
        notes.moments(complaint.created_at)
    if changed & _ENDED_DAY:
        notes.moments(*(moment for name in _ENDS for moment in _old_and_new(state, name)))
        notes.complaint(complaint.id, "ended")
    if "survey_asked_at" in changed:
        notes.moments(*_old_and_new(state, "survey_asked_at"))


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_update(orm_execute_state) -> None:
    """A guarded UPDATE (`update(Complaint).where(Complaint.id == ..., ...)`) passes the session by:
    what it changes is noted here from the columns it sets, with the days its dates were on before
    it runs. An UPDATE or DELETE of these rows whose row cannot be told marks everything stale
    (never a figure left wrong)."""
    if not (orm_execute_state.is_update or orm_execute_state.is_delete):
        return
    mapper = orm_execute_state.bind_mapper
    model = mapper.class_ if mapper is not None else None
    if model is not Complaint and model not in _CHILDREN:
        return
    statement = orm_execute_state.statement
    row_id = _id_in(statement, model) if orm_execute_state.is_update else None
    connection, notes = orm_execute_state.session.connection(), _Notes()
    if row_id is None:
        notes.everything = True
        notes.write(connection)
        return
    setting = {getattr(key, "key", key) for key in getattr(statement, "_values", None) or {}}
    if model is Complaint:
        row = connection.execute(select(Complaint.created_at, Complaint.survey_asked_at, *(
            getattr(Complaint, name) for name in _ENDS)).where(Complaint.id == row_id)).first()
        if row is None:
            return
        if setting & _EVERY_DAY:
            notes.complaint(row_id, "all")
        if setting & _FILED_DAY:
            notes.moments(row.created_at)
        if setting & _ENDED_DAY:
            notes.moments(*row[2:])
            notes.complaint(row_id, "ended")
        if "survey_asked_at" in setting:
            notes.moments(row.survey_asked_at)
            notes.complaint(row_id, "survey")
    else:  # a promise or an offer changed by a guarded update: every day of its complaint
        owner = connection.execute(select(model.complaint_id).where(model.id == row_id)).scalar()
        notes.complaint(owner, "all")
    notes.write(connection)


def _id_in(statement, model) -> int | None:
    for criterion in getattr(statement, "_where_criteria", ()):
        if (isinstance(criterion, BinaryExpression) and criterion.operator is eq
                and getattr(criterion.left, "key", None) == "id"
                and getattr(criterion.left, "table", None) is model.__table__
                and isinstance(criterion.right, BindParameter)):
            return criterion.right.value
    return None


def note_filed(connection, complaint_id: int) -> None:
    """Filing writes its rows without the session (services/filing.py): it notes its complaint here."""
    notes = _Notes()
    notes.complaint(complaint_id, "all")
    notes.write(connection)


def note_everything() -> None:
    notes = _Notes()
    notes.everything = True
    notes.write(db.session.connection())


# --- bringing it up to date ----------------------------------------------------------------------

def bring_up_to_date() -> int:
    """Count again every day a note names, and remove those notes: the number of days counted.
    Flushes, never commits (the caller does: the worker, or the insight page before it reads)."""
    connection = db.session.connection()
    if connection.execute(select(InsightStale.id).limit(1)).first() is None:
        return 0
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    notes = connection.execute(select(InsightStale.id, InsightStale.complaint_id, InsightStale.part,
                                      InsightStale.day)).all()
    if not notes:  # another reader counted them while this one waited
        return 0
    if any(cid is None and day is None for _id, cid, _part, day in notes):
        days = _every_day(connection)
        connection.execute(delete(InsightDay))
    else:
        days = {day for _id, _cid, _part, day in notes if day is not None}
        parts = defaultdict(set)
        for _id, cid, part, _day in notes:
            if cid is not None:
                parts[part].add(cid)
        days |= _days_of(connection, parts)
        days = sorted(days)
        for start in range(0, len(days), 500):
            connection.execute(delete(InsightDay).where(InsightDay.day.in_(days[start:start + 500])))
    # Each run of consecutive days in pieces of at most a month: one range per query reads an
    # index in order (scattered days in one query made PostgreSQL read far more).
    for first, last in _runs(days):
        while first <= last:
            piece = [first + timedelta(days=offset) for offset in range(min(CHUNK_DAYS, (last - first).days + 1))]
            rows = count_days(piece)
            if rows:
                connection.execute(insert(InsightDay), rows)
            first = piece[-1] + timedelta(days=1)
    ids = [note_id for note_id, _cid, _part, _day in notes]
    for start in range(0, len(ids), 500):
        connection.execute(delete(InsightStale).where(InsightStale.id.in_(ids[start:start + 500])))
    return len(days)


def _every_day(connection) -> list[date]:
    first = connection.execute(select(func.min(Complaint.created_at))).scalar()
    if first is None:
        return []
    last = max(filter(None, [connection.execute(select(func.max(Promise.due_at))).scalar(),
                             connection.execute(select(func.max(Complaint.ended_at))).scalar(),
                             connection.execute(select(func.max(Complaint.survey_asked_at))).scalar(),
                             connection.execute(select(func.max(Offer.carried_out_at))).scalar(),
                             connection.execute(select(func.max(Message.created_at))).scalar(),
                             connection.execute(select(func.max(Event.created_at))).scalar()]), default=first)
    day, last_day, days = _local_day(first), _local_day(max(first, last)), []
    while day <= last_day:
        days.append(day)
        day += timedelta(days=1)
    return days


def _days_of(connection, parts: dict) -> set[date]:
    """The days the noted complaints count on now: every one ("all": filed, ended, asked, due,
    offered, carried out, replied to, reopened), or the one day a part names."""
    days = set()
    single = {"filed": Complaint.created_at, "ended": Complaint.ended_at, "survey": Complaint.survey_asked_at}
    for part, complaint_ids in parts.items():
        ids = sorted(complaint_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            if part in single:
                moments = select(single[part]).where(Complaint.id.in_(chunk))
            else:
                moments = union_all(
                    select(Complaint.created_at.label("at")).where(Complaint.id.in_(chunk)),
                    select(Complaint.ended_at).where(Complaint.id.in_(chunk)),
                    select(Complaint.survey_asked_at).where(Complaint.id.in_(chunk)),
                    select(Promise.due_at).where(Promise.complaint_id.in_(chunk)),
                    select(Offer.made_at).where(Offer.complaint_id.in_(chunk)),
                    select(Offer.carried_out_at).where(Offer.complaint_id.in_(chunk)),
                    select(Message.created_at).where(Message.complaint_id.in_(chunk), Message.author == "agent"),
                    select(Event.created_at).where(Event.complaint_id.in_(chunk), Event.kind == "reopened"))
            days.update(_local_day(moment) for (moment,) in connection.execute(moments) if moment is not None)
    return days


# --- counting days from scratch ------------------------------------------------------------------

def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=get_calendar().zone)


def _runs(days: list[date]) -> list[tuple[date, date]]:
    runs: list[list[date]] = []
    for day in sorted(days):
        if runs and day == runs[-1][1] + timedelta(days=1):
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(first, last) for first, last in runs]


def _within(column, days: list[date]):
    return or_(*(and_(column >= _midnight(first), column < _midnight(last + timedelta(days=1)))
                 for first, last in _runs(days)))


def _day_of(column, days: list[date]):
    """SQL for the local day a moment is on: the date itself on PostgreSQL, an index into `days`
    on SQLite (which knows no time zones; the bounds are worked out here)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone(str(get_calendar().zone), column))
    return case(*((column < _midnight(day + timedelta(days=1)), index) for index, day in enumerate(days)),
                else_=len(days) - 1)


def _as_day(value, days: list[date]) -> date:
    return days[value] if isinstance(value, int) else value


def _category(category_id) -> int:
    return NO_CATEGORY if category_id is None else category_id


def count_days(days: list[date]) -> list[dict]:
    """The summary rows of these days (up to `CHUNK_DAYS`), counted from the complaints themselves."""
    days = sorted(days)
    if not days:
        return []
    counts: dict = defaultdict(Counter)  # (day, category id) -> Counter
    session = db.session
    complaint = Kind.COMPLAINT

    # Signals filed on the day.
    day = _day_of(Complaint.created_at, days)
    customer_first = func.coalesce(Complaint.customer_wrote_first, false())
    for (d, cid, kind, channel, handled, cause, dated, escalated, waiting, wrote_first,
         n) in session.execute(
            select(day, Complaint.category_id, Complaint.kind, Complaint.channel, Complaint.handled_as,
                   Complaint.root_cause, Complaint.timeline_id.is_not(None), Complaint.escalated_at.is_not(None),
                   Complaint.first_reply_at.is_(None), customer_first, func.count())
            .where(_within(Complaint.created_at, days))
            .group_by(day, Complaint.category_id, Complaint.kind, Complaint.channel, Complaint.handled_as,
                      Complaint.root_cause, Complaint.timeline_id.is_not(None), Complaint.escalated_at.is_not(None),
                      Complaint.first_reply_at.is_(None), customer_first)):
        row = counts[(_as_day(d, days), _category(cid))]
        row[f"kind:{kind}"] += n
        row[f"channel:{channel}"] += n
        row["dated"] += n if dated else 0
        row["waiting"] += n if waiting else 0
        if kind == complaint:
            row[f"handled:{handled or ''}"] += n
            row[f"cause:{cause or ''}"] += n
            row["escalated"] += n if escalated else 0
            row["wrote_first"] += n if wrote_first else 0
    hours = rounded_hours()
    for d, cid, value, n in session.execute(
            select(day, Complaint.category_id, hours, func.count())
            .where(_within(Complaint.created_at, days), Complaint.first_reply_hours.is_not(None))
            .group_by(day, Complaint.category_id, hours)):
        counts[(_as_day(d, days), _category(cid))][f"hours:{float(value):.1f}"] += n
    for d, cid, n in session.execute(
            select(day, Complaint.category_id, func.count()).select_from(Event)
            .join(Complaint, Complaint.id == Event.complaint_id)
            .where(_within(Complaint.created_at, days), Event.kind == "handed_over")
            .group_by(day, Complaint.category_id)):
        counts[(_as_day(d, days), _category(cid))]["handovers"] += n

    # Ended on the day: one row per complaint, so the working-day deadline can be worked out here.
    calendar = get_calendar()
    deadlines: dict = {}
    for (filed, ended, cid, kind, status, wish, reached, accepted, resolved) in session.execute(
            select(Complaint.created_at, Complaint.ended_at, Complaint.category_id, Complaint.kind, Complaint.status,
                   Complaint.wish, Complaint.offer_reached_at.is_not(None), Complaint.offer_accepted_at.is_not(None),
                   Complaint.resolved_at.is_not(None))
            .where(_within(Complaint.ended_at, days))):
        row = counts[(calendar.local_date(ended), _category(cid))]
        is_complaint = kind == complaint
        if status in Status.ENDED:
            row["ended"] += 1
            if is_complaint:
                asked_money = wish == Wish.COMPENSATION
                row["asked_money"] += asked_money
                row["asked_money_offered"] += asked_money and reached
                row["with_offer"] += reached
                row["accepted"] += accepted
                row["resolved"] += resolved
        if is_complaint:
            filed_day = calendar.local_date(filed)
            if filed_day not in deadlines:
                deadlines[filed_day] = _midnight(calendar.next_working_days(filed_day, 3)[-1] + timedelta(days=1))
            took = ended - filed
            row["closed"] += 1
            row["upheld"] += accepted
            row["within_3wd"] += ended < deadlines[filed_day]
            row["within_4w"] += took <= timedelta(weeks=4)
            row["w4_8"] += timedelta(weeks=4) < took <= timedelta(weeks=8)
            row["over_8w"] += took > timedelta(weeks=8)
            row["over_6w"] += took > timedelta(weeks=6)

    # Promises due on the day.
    day = _day_of(Promise.due_at, days)
    for d, cid, key, state, never_missed, n in session.execute(
            select(day, Complaint.category_id, Promise.key, Promise.state, Promise.missed_at.is_(None), func.count())
            .join(Complaint, Complaint.id == Promise.complaint_id)
            .where(_within(Promise.due_at, days))
            .group_by(day, Complaint.category_id, Promise.key, Promise.state, Promise.missed_at.is_(None))):
        row = counts[(_as_day(d, days), _category(cid))]
        if state == "kept" and never_missed:
            row[f"kept:{key}"] += n
        elif not never_missed:
            row[f"missed:{key}"] += n
        elif state == "moved":
            row["moved"] += n

    # Offers made on the day, and carried out on the day.
    day = _day_of(Offer.made_at, days)
    for d, cid, kind, cause, remedy, state, cents, n in session.execute(
            select(day, Complaint.category_id, Complaint.kind, Complaint.root_cause, Offer.remedy, Offer.state,
                   func.coalesce(func.sum(Offer.amount_cents), 0), func.count())
            .join(Complaint, Complaint.id == Offer.complaint_id)
            .where(_within(Offer.made_at, days))
            .group_by(day, Complaint.category_id, Complaint.kind, Complaint.root_cause, Offer.remedy, Offer.state)):
        row = counts[(_as_day(d, days), _category(cid))]
        row[f"state:{state}"] += n
        if state not in PUT_TO_CUSTOMER:
            continue
        cents = int(cents or 0)
        for prefix in ("money:", f"money.remedy:{remedy}:", f"money.cause:{cause or ''}:"):
            row[prefix + "count"] += n
            row[prefix + "offered"] += cents
            row[prefix + "accepted"] += cents if state in ACCEPTED else 0
            row[prefix + "carried"] += cents if state == OfferState.CARRIED_OUT else 0
        if kind == complaint:
            row[f"effect:{cause or ''}"] += cents
    day = _day_of(Offer.carried_out_at, days)
    for d, cid, cents in session.execute(
            select(day, Complaint.category_id, func.coalesce(func.sum(Offer.amount_cents), 0))
            .join(Complaint, Complaint.id == Offer.complaint_id)
            .where(_within(Offer.carried_out_at, days), Offer.state == OfferState.CARRIED_OUT,
                   Complaint.kind == complaint)
            .group_by(day, Complaint.category_id)):
        counts[(_as_day(d, days), _category(cid))]["redress"] += int(cents or 0)

    # Our replies on the day, and reopenings.
    day, score, warned_anyway = _day_of(Message.created_at, days), rounded_score(), func.coalesce(Message.lint_warned,
                                                                                                   false())
    for d, cid, value, warned, n in session.execute(
            select(day, Complaint.category_id, score, warned_anyway, func.count())
            .join(Complaint, Complaint.id == Message.complaint_id)
            .where(_within(Message.created_at, days), Message.author == "agent", Message.reading_score.is_not(None))
            .group_by(day, Complaint.category_id, score, warned_anyway)):
        row = counts[(_as_day(d, days), _category(cid))]
        row[f"score:{int(value)}"] += n
        row["replies"] += n
        row["warned"] += n if warned else 0
    day = _day_of(Event.created_at, days)
    for d, cid, n in session.execute(
            select(day, Complaint.category_id, func.count()).join(Complaint, Complaint.id == Event.complaint_id)
            .where(_within(Event.created_at, days), Event.kind == "reopened")
            .group_by(day, Complaint.category_id)):
        counts[(_as_day(d, days), _category(cid))]["reopened"] += n

    # The survey, by the day it was asked.
    day = _day_of(Complaint.survey_asked_at, days)
    for d, cid, n in session.execute(
            select(day, Complaint.category_id, func.count()).where(_within(Complaint.survey_asked_at, days))
            .group_by(day, Complaint.category_id)):
        counts[(_as_day(d, days), _category(cid))]["asked"] += n
    for d, cid, solved, treatment, come_back, n in session.execute(
            select(day, Complaint.category_id, SurveyAnswer.solved, SurveyAnswer.treatment, SurveyAnswer.come_back,
                   func.count())
            .join(Complaint, Complaint.id == SurveyAnswer.complaint_id)
            .where(_within(Complaint.survey_asked_at, days))
            .group_by(day, Complaint.category_id, SurveyAnswer.solved, SurveyAnswer.treatment,
                      SurveyAnswer.come_back)):
        row = counts[(_as_day(d, days), _category(cid))]
        row[f"solved:{solved}"] += n
        row[f"treatment:{treatment}"] += n
        row[f"come_back:{come_back}"] += n
        row["recovered"] += n if (solved == "yes" and come_back == "yes") else 0

    everything: dict = defaultdict(Counter)
    rows = []
    for (d, cid), row in counts.items():
        row = +row  # no zero counts kept
        everything[d].update(row)
        rows.append({"day": d, "category_id": cid, "counts": dict(row), "brief": _brief(row)})
    rows += [{"day": d, "category_id": ALL, "counts": dict(row), "brief": _brief(row)} for d, row in everything.items()]
    return rows


def rounded_hours():
    """Working hours to our first reply, as the summary keeps them (and the count from scratch
    reads them): to a tenth of an hour."""
    return func.round(cast(Complaint.first_reply_hours, Numeric), 1)


def rounded_score():
    return func.round(cast(Message.reading_score, Numeric), 0)


# --- reading it ----------------------------------------------------------------------------------

class Read:
    """The summary of a period (local days, both included), for every category or one. Each part is
    read when a figure first asks for it: the complaints return needs no breakdown per category,
    an improvement's before-and-after nothing but that breakdown."""

    def __init__(self, first: date, last: date, category_id: int | None = None):
        self.first, self.last, self.category_id = first, last, category_id
        self._in_period = and_(InsightDay.day >= first, InsightDay.day <= last)

    @cached_property
    def by_day(self) -> dict:
        wanted = ALL if self.category_id is None else self.category_id
        return dict(db.session.execute(select(InsightDay.day, InsightDay.counts)
                                       .where(InsightDay.category_id == wanted, self._in_period)).all())

    @cached_property
    def total(self) -> Counter:
        found = Counter()
        for counts in self.by_day.values():
            found.update(counts)
        return found

    @cached_property
    def by_category(self) -> dict:
        """Category id (None: no category) -> the brief counts of the period."""
        found: dict = defaultdict(Counter)
        if self.category_id is not None:
            found[self.category_id] = Counter(_brief(self.total))
            return found
        for cid, brief in db.session.execute(select(InsightDay.category_id, InsightDay.brief)
                                             .where(InsightDay.category_id != ALL, self._in_period)):
            found[None if cid == NO_CATEGORY else cid].update(brief or {})
        return found

    def prefixed(self, prefix: str, counts: dict | None = None) -> dict:
        """{value after the prefix: count} of the period's totals (or of `counts`)."""
        source = self.total if counts is None else counts
        return {key[len(prefix):]: value for key, value in source.items() if key.startswith(prefix)}

    def median(self, prefix: str) -> float | None:
        """The median of a kept spread ("hours:", "score:"), as percentile_cont(0.5) gives it."""
        spread = sorted((float(value), count) for value, count in self.prefixed(prefix).items())
        whole = sum(count for _value, count in spread)
        if not whole:
            return None
        middle = {(whole - 1) // 2, whole // 2}
        found, seen = [], 0
        for value, count in spread:
            found += [value] * sum(seen <= position < seen + count for position in middle)
            seen += count
        return statistics.mean(found) if len(found) > 1 else found[0]

    def within(self, first: date, last: date) -> Counter:
        """The totals of the days from `first` to `last` of this period (a week or month of a chart)."""
        found = Counter()
        for day, counts in self.by_day.items():
            if first <= day <= last:
                found.update(counts)
        return found


def read(first: date, last: date, category_id: int | None = None) -> Read:
    """The period's summary, brought up to date first. Within one request each period is read once
    (a page asks for the signals and the costs of the same month)."""
    counted = bring_up_to_date()
    if not has_request_context():
        return Read(first, last, category_id)
    cache = g.setdefault("insight_summary_read", {})
    if counted:
        cache.clear()
    key = (first, last, category_id)
    if key not in cache:
        cache[key] = Read(first, last, category_id)
    return cache[key]


def open_on(days: tuple[date, ...], category_id: int | None = None) -> list[int]:
    """For each day: the complaints filed before it that had not ended before it (the return's
    "open at the start" and "at the end"), from one pass over the days before the last of them."""
    wanted = ALL if category_id is None else category_id
    found = [0] * len(days)
    for day, brief in db.session.execute(select(InsightDay.day, InsightDay.brief).where(
            InsightDay.category_id == wanted, InsightDay.day < max(days))):
        still_open = (brief or {}).get(f"kind:{Kind.COMPLAINT}", 0) - (brief or {}).get("closed", 0)
        for index, bound in enumerate(days):
            if day < bound:
                found[index] += still_open
    return found
