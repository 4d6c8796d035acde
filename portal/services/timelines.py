"""Promise-timelines: what we promise per kind and category, and turning them into dated promises."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import bindparam, or_, select

from ..extensions import db
from ..models import Complaint, Promise, PromiseStep, PromiseTimeline
from ..states import PromiseState
from .calendar import BusinessCalendar

# "You get our proposal": the same promise when a complaint is filed and when it is opened again.
PROPOSAL_STEP = dict(
    key="proposal", offset_amount=5, offset_unit="working_days",
    label_nl="U krijgt ons voorstel of ons antwoord",
    label_en="You get our proposal or our answer",
    explanation_nl="U beslist zelf of ons voorstel uw klacht oplost.",
    explanation_en="You decide yourself if our proposal solves your complaint.")

# The seeded defaults. Texts are plain promises: present tense, a date is always shown beside them.
DEFAULT_STEPS = {
    "complaint": [
        dict(key="contact", offset_amount=1, offset_unit="working_days",
             label_nl="Iemand heeft uw klacht gelezen en neemt contact met u op",
             label_en="A person has read your complaint and contacts you",
             explanation_nl="U hoort dan ook wie uw klacht behandelt. Die persoon blijft uw vaste contact.",
             explanation_en="You then also hear who handles your complaint. That person stays your contact."),
        PROPOSAL_STEP,
        dict(key="resolved", offset_amount=10, offset_unit="working_days",
             label_nl="Wat we met u hebben afgesproken, is gedaan",
             label_en="What we agreed with you has been done",
             explanation_nl="Is er meer tijd nodig? Dan hoort u dat vóór deze datum, met de reden en de nieuwe datum.",
             explanation_en="If we need more time, you hear it before this date, with the reason and the new date."),
    ],
    "compliment": [
        dict(key="passed_on", offset_amount=5, offset_unit="working_days",
             label_nl="Iemand heeft uw compliment gelezen en doorgegeven aan de mensen over wie het gaat",
             label_en="A person has read your compliment and passed it on to the people it is about",
             explanation_nl="Zij horen wat u over hen zei.",
             explanation_en="They hear what you said about them."),
    ],
    "suggestion": [
        dict(key="answered", offset_amount=5, offset_unit="working_days",
             label_nl="Iemand heeft uw idee gelezen en laat u weten wat we ermee doen",
             label_en="A person has read your suggestion and tells you what we do with it",
             explanation_nl="U krijgt een echt antwoord, ook als we uw idee niet uitvoeren.",
             explanation_en="You get a real answer, also if we do not carry out your idea."),
    ],
}

# Added to a complaint when the customer asks for a manager to look at it (right 10).
MANAGER_STEP = dict(
    key="manager", offset_amount=2, offset_unit="working_days",
    label_nl="Een leidinggevende heeft uw klacht bekeken en neemt contact met u op",
    label_en="A manager has looked at your complaint and contacts you",
    explanation_nl="De leidinggevende kijkt met een frisse blik naar uw klacht.",
    explanation_en="The manager looks at your complaint with fresh eyes.")

# Added when an offer above the agent's mandate waits for a supervisor: a date, not a restarted clock.
DECISION_STEP = dict(
    key="decision", offset_amount=2, offset_unit="working_days",
    label_nl="U hoort ons besluit over de vergoeding",
    label_en="You hear our decision about the compensation",
    explanation_nl="Uw contactpersoon blijft dezelfde. Een leidinggevende tekent mee voor dit bedrag.",
    explanation_en="Your contact person stays the same. A manager signs too for this amount.")

# Added when the customer says no to an offer: the same person comes back with a new one.
NEW_PROPOSAL_STEP = dict(
    key="new_proposal", offset_amount=3, offset_unit="working_days",
    label_nl="U krijgt een nieuw voorstel",
    label_en="You get a new proposal",
    explanation_nl="Uw contactpersoon leest waarom het voorstel niet past en neemt contact met u op.",
    explanation_en="Your contact person reads why the proposal does not fit and contacts you.")

# Fresh promises when the customer opens a solved complaint again.
REOPEN_STEPS = [
    dict(key="contact", offset_amount=1, offset_unit="working_days",
         label_nl="Uw contactpersoon heeft uw bericht gelezen en neemt contact met u op",
         label_en="Your contact person has read your message and contacts you",
         explanation_nl=None, explanation_en=None),
    PROPOSAL_STEP,
]


def handling_limit(start: datetime, calendar: BusinessCalendar, max_weeks: int | None = None) -> datetime:
    """The latest moment any promise may have: the organisation's longest handling time from `start`
    (ending at closing time on a working day, as the admin editor counts it)."""
    if max_weeks is None:
        from .organisation import DEFAULTS, organisation_snapshot

        max_weeks = organisation_snapshot().max_handling_weeks or DEFAULTS["max_handling_weeks"]
    return calendar.add_weeks_then_working_day(start, max_weeks)


def handling_started(complaint: Complaint, step: dict, now: datetime) -> datetime:
    """From when the longest handling time counts: the filing, or the last time it was opened again
    (fresh promises for a reopened complaint start a new handling)."""
    if step in REOPEN_STEPS:
        return now
    reopened = [event.created_at for event in complaint.events if event.kind == "reopened" and event.created_at]
    return max(reopened) if reopened else (complaint.created_at or now)


def due_for(complaint: Complaint, step: dict, now: datetime, calendar: BusinessCalendar,
            max_weeks: int | None = None) -> datetime:
    """When an extra step made now is due: its offset, capped at the longest handling time."""
    due_at = calendar.add(now, step["offset_amount"], step["offset_unit"])
    limit = handling_limit(handling_started(complaint, step, now), calendar, max_weeks)
    if due_at > limit > now:  # when the limit is already past, a date in the past would be no promise
        due_at = limit
    return due_at


def add_promise(complaint: Complaint, step: dict, now: datetime, calendar: BusinessCalendar,
                max_weeks: int | None = None) -> Promise:
    """One extra dated promise on a complaint, from a step such as MANAGER_STEP; never later than
    the longest handling time."""
    promise = promise_from_step(step, due_for(complaint, step, now, calendar, max_weeks), len(complaint.promises) + 1)
    complaint.promises.append(promise)
    return promise


def keep_promise(complaint: Complaint, key: str, now: datetime) -> Promise | None:
    """Mark the first open promise with this key as kept; returns it, if there was one.

    A missed promise stays missed: keeping it late does not rewrite what happened, but it is dated
    as done (`kept_at`), so the complaint leaves the overdue view.
    """
    for promise in complaint.promises:
        if promise.key == key and promise.state == PromiseState.OPEN:
            promise.state, promise.kept_at = PromiseState.KEPT, now
            # For the integrations that listen (services/webhooks.py); the customer sees the promise itself.
            from .complaints import record_event

            record_event(complaint, "promise_kept", actor="system", visible=False, promise=key)
            return promise
    for promise in complaint.promises:
        if promise.key == key and promise.state == PromiseState.MISSED and promise.kept_at is None:
            promise.kept_at = now  # done late
            break
    return None


@dataclass(frozen=True)
class PlannedPromise:
    step: object  # a PromiseStep or anything with the same fields
    due_at: datetime


def plan(steps, filed_at: datetime, calendar: BusinessCalendar, usable=None) -> list[PlannedPromise]:
    """The due moment of each step for something filed at this moment (also the admin's preview).

    `usable(step)` says whether a step can be counted yet (the editor's half-typed steps): one that
    cannot gets no moment (None), and neither does a step counted from it.
    """
    planned, previous = [], filed_at
    for step in steps:
        base = previous if getattr(step, "relative_to", "filing") == "previous" else filed_at
        if base is None or (usable is not None and not usable(step)):
            due_at = None
        else:
            due_at = calendar.add(base, step.offset_amount, step.offset_unit)
        planned.append(PlannedPromise(step, due_at))
        previous = due_at
    return planned


def current_timeline(kind: str, category_id: int | None) -> PromiseTimeline | None:
    """The newest version for this kind and category; for a complaint without one, the general one."""
    return db.session.scalar(_current(select(PromiseTimeline), kind, category_id))


def current_timeline_id(kind: str, category_id: int | None) -> int | None:
    """The id of `current_timeline` (what filing needs: its steps come from `steps_of_version`)."""
    # Asked at every filing: Core statements built once (see _CURRENT_ID below).
    statement, params = ((_CURRENT_GENERAL_ID, {"kind": kind}) if category_id is None
                         else (_CURRENT_ID, {"kind": kind, "category_id": category_id}))
    return db.session.connection().execute(statement, params).scalar()


def _current(query, kind: str, category_id: int | None):
    query = query.where(PromiseTimeline.kind == kind)
    if category_id is None:
        query = query.where(PromiseTimeline.category_id.is_(None))
    else:  # one query: the category's own versions sort before the general ones
        query = query.where(or_(PromiseTimeline.category_id == category_id, PromiseTimeline.category_id.is_(None)))
        query = query.order_by(PromiseTimeline.category_id.is_(None))
    return query.order_by(PromiseTimeline.version.desc()).limit(1)


_CURRENT_GENERAL_ID = _current(select(PromiseTimeline.id), bindparam("kind"), None)
_CURRENT_ID = _current(select(PromiseTimeline.id), bindparam("kind"), bindparam("category_id"))


@dataclass(frozen=True)
class Step:
    """A step of a saved timeline version, as plain data."""
    position: int
    key: str
    label_nl: str
    label_en: str
    explanation_nl: str | None
    explanation_en: str | None
    offset_amount: int
    offset_unit: str
    relative_to: str


def steps_of_version(timeline_id: int) -> tuple[Step, ...]:
    """The steps of one timeline version, read once per process: a saved version never changes (an
    edit or a restore makes a new version), so every filing need not read them again."""
    kept = current_app.extensions.setdefault("gehoord.timeline_steps", {})
    if timeline_id in kept:
        return kept[timeline_id]
    rows = db.session.scalars(select(PromiseStep).where(PromiseStep.timeline_id == timeline_id)
                              .order_by(PromiseStep.position)).all()
    steps = tuple(Step(**{name: getattr(row, name) for name in Step.__dataclass_fields__}) for row in rows)
    # A version made in this very session may still be rolled back (and SQLite may give its id to
    # the next one): only what was there before is kept.
    if not db.session.info.get("made_timelines"):
        kept[timeline_id] = steps
    return steps


def create_timeline(kind: str, category_id: int | None, steps: list[dict],
                    created_by_id: int | None = None) -> PromiseTimeline:
    """A new version of the timeline for this kind and category."""
    latest = db.session.scalar(
        select(db.func.max(PromiseTimeline.version)).where(
            PromiseTimeline.kind == kind,
            PromiseTimeline.category_id.is_(None) if category_id is None
            else PromiseTimeline.category_id == category_id))
    timeline = PromiseTimeline(kind=kind, category_id=category_id, version=(latest or 0) + 1,
                               created_by_id=created_by_id)
    for position, step in enumerate(steps, start=1):
        timeline.steps.append(PromiseStep(position=position, **{"relative_to": "filing", **step}))
    db.session.add(timeline)
    db.session.flush()
    db.session.info["made_timelines"] = True  # see steps_of_version
    return timeline


def ensure_default_timelines() -> None:
    """The general timeline for each kind, if there is none yet."""
    for kind, steps in DEFAULT_STEPS.items():
        if current_timeline(kind, None) is None:
            create_timeline(kind, None, steps)


def snapshot_promises(complaint: Complaint, timeline_id: int, filed_at: datetime,
                      calendar: BusinessCalendar, max_weeks: int | None = None) -> None:
    """Copy the steps onto the complaint as promises with absolute due moments.

    Later edits of the timeline make a new version, so a promise once made never changes. No
    promise falls after the longest handling time: many closing days cannot push one past it.
    """
    limit = handling_limit(filed_at, calendar, max_weeks)
    for planned in plan(steps_of_version(timeline_id), filed_at, calendar):
        complaint.promises.append(
            promise_from_step(planned.step, min(planned.due_at, limit), planned.step.position))


def promise_from_step(step, due_at: datetime, position: int) -> Promise:
    get = (lambda name: step[name]) if isinstance(step, dict) else (lambda name: getattr(step, name))
    return Promise(position=position, key=get("key"), label_nl=get("label_nl"), label_en=get("label_en"),
                   explanation_nl=get("explanation_nl"), explanation_en=get("explanation_en"),
                   due_at=due_at, state=PromiseState.OPEN)


# --- the timeline as the customer reads it --------------------------------------------------------

@dataclass(frozen=True)
class Move:
    """One earlier date of a promise: from when to when, and why (a reason, or our wait for them)."""
    from_due: datetime
    to_due: datetime
    reason: str | None  # None: moved on because we waited for the customer's answer
    missed: bool  # that earlier date passed unkept


@dataclass(frozen=True)
class TimelineEntry:
    promise: Promise  # the newest date of this step: what stands now
    moves: tuple[Move, ...]  # how it got there, oldest first


def customer_timeline(complaint: Complaint) -> list[TimelineEntry]:
    """Every step once, in date order, with its history folded in: a promise that got a new date is
    one entry ("moved from 10 to 17 December, because ...") instead of one line per date; a new date
    the customer said no to is left out (the date they kept stands)."""
    promises = [p for p in complaint.promises if p.state != PromiseState.DECLINED]
    newer = {p.replaces_id: p for p in promises if p.replaces_id is not None}
    entries = []
    for head in promises:
        if head.id is not None and head.id in newer:
            continue  # an earlier date: it is folded into the entry of its newest date
        chain, current = [head], head
        while current.replaces is not None and current.replaces.state != PromiseState.DECLINED:
            current = current.replaces
            chain.append(current)
        chain.reverse()
        moves = []
        for earlier, later in zip(chain, chain[1:], strict=False):
            moves.extend(_wait_move(earlier))
            moves.append(Move(earlier.due_at, later.due_at,
                              later.move_reason or earlier.move_reason, earlier.state == PromiseState.MISSED))
        moves.extend(_wait_move(head))
        entries.append(TimelineEntry(head, tuple(moves)))
    entries.sort(key=lambda entry: (entry.promise.due_at, entry.promise.position))
    return entries


def _wait_move(promise: Promise) -> list[Move]:
    if promise.due_before_wait is None:
        return []
    return [Move(promise.due_before_wait, promise.due_at, None, False)]
