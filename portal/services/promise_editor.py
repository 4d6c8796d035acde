"""Editing promise-timelines: checks, a preview of real dates, versions, differences and restores.

What an admin promises must be plain, dated and kept (charter right 3). So a hedge word in a promise
blocks saving; jargon and long sentences warn. Saving makes a new version that applies to complaints
filed from then on; promises already made never change.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from types import SimpleNamespace
from datetime import datetime, timedelta, time

from flask_babel import gettext, ngettext

from ..i18n import lazy_gettext as _l

from charter.lint import Finding, lint

from ..extensions import db
from ..models import PromiseTimeline, User, utcnow
from . import timelines
from .calendar import BusinessCalendar
from .audit import audit
from .errors import DomainError

STEP_FIELDS = ("key", "label_nl", "label_en", "explanation_nl", "explanation_en",
               "offset_amount", "offset_unit", "relative_to")
TEXT_FIELDS = (("label_nl", "nl"), ("label_en", "en"), ("explanation_nl", "nl"), ("explanation_en", "en"))
UNITS = ("working_days", "working_hours")
RELATIVE_TO = ("filing", "previous")
# Far beyond any handling time (52 weeks of 24-hour days); larger numbers only make the preview slow.
MAX_OFFSET = 24 * 7 * 52


@dataclass
class StepCheck:
    errors: list = field(default_factory=list)  # (field name, message)
    findings: list = field(default_factory=list)  # (field name, Finding)


@dataclass
class TimelineCheck:
    steps: list[StepCheck]
    errors: list = field(default_factory=list)  # about the whole timeline

    @property
    def blocks_saving(self) -> bool:
        return bool(self.errors) or any(
            check.errors or any(f.severity == "error" for _, f in check.findings) for check in self.steps)


def holiday_friday(calendar: BusinessCalendar, after: datetime) -> datetime:
    """The next Friday 16:55 before a long weekend (the Monday is not a working day): the hardest case."""
    day = calendar.local_date(after)
    for _ in range(800):
        day += timedelta(days=1)
        if day.weekday() == 4 and calendar.is_working_day(day) and not calendar.is_working_day(day + timedelta(days=3)):
            return datetime.combine(day, time(16, 55), tzinfo=calendar.zone)
    return datetime.combine(day, time(16, 55), tzinfo=calendar.zone)  # pragma: no cover


def preview(steps: list[dict], filed_at: datetime, calendar: BusinessCalendar) -> list[datetime | None]:
    """The dates a customer filing at this moment would see, one per step (`timelines.plan`, the
    sum filing makes). A step whose offset is not usable yet has None, and so has a step counted
    from it: the rows of the preview stay beside their own steps."""
    as_steps = [SimpleNamespace(**{"relative_to": "filing", **step}) for step in steps]
    usable = lambda step: _offset_ok(vars(step)) and _relative_ok(vars(step))
    return [planned.due_at for planned in timelines.plan(as_steps, filed_at, calendar, usable)]


def _relative_ok(step: dict) -> bool:
    return (step.get("relative_to") or "filing") in RELATIVE_TO


def _offset_ok(step: dict) -> bool:
    amount = step.get("offset_amount")
    return isinstance(amount, int) and 0 < amount <= MAX_OFFSET and step.get("offset_unit") in UNITS


def with_keys(steps: list[dict]) -> list[dict]:
    """Give each new step its key, made from its English label (the code knows the built-in steps by
    their keys, like contact or decision, so a key once made never changes; admins never see them)."""
    taken = {step.get("key") for step in steps if step.get("key")}
    for step in steps:
        if step.get("key"):
            continue
        words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", step.get("label_en") or "").lower())
        base = "_".join(words)[:30].strip("_") or "step"
        key, n = base, 2
        while key in taken:
            key, n = f"{base}_{n}", n + 1
        step["key"] = key
        taken.add(key)
    return steps


def check(steps: list[dict], calendar: BusinessCalendar, max_weeks: int, now: datetime | None = None) -> TimelineCheck:
    """Everything wrong with these steps, per step and for the whole timeline."""
    now = now or utcnow()
    result = TimelineCheck([StepCheck() for _ in steps])
    if not steps:
        result.errors.append(_l("A timeline needs at least one step: what do we promise, and by when?"))
    keys = [s.get("key") for s in steps]
    for step, step_check in zip(steps, result.steps, strict=True):
        if step.get("key") and keys.count(step["key"]) > 1:
            result.errors.append(_l("Two steps are the same step. Remove one of them."))
        amount = step.get("offset_amount")
        if not (isinstance(amount, int) and amount > 0):
            step_check.errors.append(("offset_amount", _l("Enter a number of working days or hours of 1 or more")))
        elif amount > MAX_OFFSET:
            step_check.errors.append(("offset_amount", _l(
                "This step falls after the longest handling time of %(weeks)s weeks. Make it shorter.",
                weeks=max_weeks)))
        if step.get("offset_unit") not in UNITS:
            step_check.errors.append(("offset_unit", _l("Choose working days or working hours")))
        if not _relative_ok(step):
            step_check.errors.append(("relative_to", _l("Choose from filing or from the step before")))
        for name in ("label_nl", "label_en"):
            if not (step.get(name) or "").strip():
                step_check.errors.append((name, _l("Write what we promise, in Dutch and in English")))
        for name, language in TEXT_FIELDS:
            text = (step.get(name) or "").strip()
            if text:
                step_check.findings.extend((name, f) for f in lint(text, language, promise=True))
    if steps and all(_offset_ok(s) and _relative_ok(s) for s in steps):
        for filed_at in (now, holiday_friday(calendar, now)):
            limit = calendar.add_weeks_then_working_day(filed_at, max_weeks)
            for step_check, due in zip(result.steps, preview(steps, filed_at, calendar), strict=True):
                if due > limit and not any(n == "offset_amount" for n, _ in step_check.errors):
                    step_check.errors.append(("offset_amount", _l(
                        "This step falls after the longest handling time of %(weeks)s weeks. Make it shorter.",
                        weeks=max_weeks)))
    return result


def offset_words(amount, unit: str) -> str:
    """"1 working day", "2 working days", "4 working hours": the count and its unit, plural right."""
    if unit == "working_hours":
        return ngettext("%(num)s working hour", "%(num)s working hours", amount or 0)
    return ngettext("%(num)s working day", "%(num)s working days", amount or 0)


def timing_words(step) -> str:
    """When a step is due, as the admin set it: "within 2 working days of filing"."""
    get = step.get if isinstance(step, dict) else (lambda name: getattr(step, name))
    offset = offset_words(get("offset_amount"), get("offset_unit"))
    if (get("relative_to") or "filing") == "previous":
        return gettext("within %(offset)s after the step before", offset=offset)
    return gettext("within %(offset)s of filing", offset=offset)


TEXT_NAMES = {"label_nl": _l("the Dutch promise"), "label_en": _l("the English promise"),
              "explanation_nl": _l("the Dutch explanation"), "explanation_en": _l("the English explanation")}


def changes_in_words(older: PromiseTimeline | None, newer: PromiseTimeline, language: str) -> list[str]:
    """What a version changed, step by step, as sentences an admin reads (never field names)."""
    def label(step):
        return getattr(step, "label_en" if language == "en" else "label_nl") or ""

    old_steps = list(older.steps) if older is not None else []
    sentences = []
    for number, new in enumerate(newer.steps, start=1):
        old = old_steps[number - 1] if number <= len(old_steps) else None
        if old is None:
            sentences.append(gettext("Step %(n)s is new: “%(label)s”, %(timing)s.", n=number, label=label(new),
                                     timing=timing_words(new)))
            continue
        if timing_words(old) != timing_words(new):
            sentences.append(gettext("Step %(n)s (“%(label)s”) was “%(old)s”, is now “%(new)s”.", n=number,
                                     label=label(new), old=timing_words(old), new=timing_words(new)))
        for name, _language in TEXT_FIELDS:
            if (getattr(old, name) or "") != (getattr(new, name) or ""):
                sentences.append(gettext("Step %(n)s: %(what)s was “%(old)s”, is now “%(new)s”.", n=number,
                                         what=str(TEXT_NAMES[name]), old=getattr(old, name) or "–",
                                         new=getattr(new, name) or "–"))
    for number, old in enumerate(old_steps[len(newer.steps):], start=len(newer.steps) + 1):
        sentences.append(gettext("Step %(n)s (“%(label)s”) is removed.", n=number, label=label(old)))
    return sentences


def _same_steps(previous: PromiseTimeline | None, clean: list[dict]) -> bool:
    return previous is not None and steps_of(previous) == clean


def steps_of(timeline: PromiseTimeline) -> list[dict]:
    return [{name: getattr(step, name) for name in STEP_FIELDS} for step in timeline.steps]


def save(kind: str, category_id: int | None, steps: list[dict], user: User, calendar: BusinessCalendar,
         max_weeks: int) -> PromiseTimeline | None:
    """Save the steps as a new version, if nothing blocks it; complaints already filed keep theirs.
    Steps the same as the current version's make no version: None."""
    result = check(steps, calendar, max_weeks)
    if result.blocks_saving:
        raise DomainError(_l("This version cannot come back as it is: open it in the editor and fix it."))
    previous = timelines.current_timeline(kind, category_id)
    if previous is not None and previous.category_id != category_id:
        previous = None  # a category's first own version: it replaces the general one for it
    clean = [{name: step.get(name) for name in STEP_FIELDS} for step in steps]
    for step in clean:
        step["relative_to"] = step.get("relative_to") or "filing"
        for name in ("explanation_nl", "explanation_en"):
            step[name] = (step[name] or "").strip() or None
    if _same_steps(previous, clean):
        return None  # nothing changed: no new, empty version (the caller says so)
    timeline = timelines.create_timeline(kind, category_id, clean, created_by_id=user.id)
    audit(user, "timeline_saved", f"{kind}/{category_id or 'general'} v{timeline.version}",
          before=steps_of(previous) if previous else None, after=clean)
    return timeline


def restore(old: PromiseTimeline, user: User, calendar: BusinessCalendar, max_weeks: int) -> PromiseTimeline | None:
    """Bring an older version back, as a new version (history is never rewritten)."""
    return save(old.kind, old.category_id, steps_of(old), user, calendar, max_weeks)


def versions(kind: str, category_id: int | None) -> list[PromiseTimeline]:
    from sqlalchemy import select

    query = select(PromiseTimeline).where(PromiseTimeline.kind == kind)
    query = query.where(PromiseTimeline.category_id.is_(None) if category_id is None
                        else PromiseTimeline.category_id == category_id)
    return db.session.scalars(query.order_by(PromiseTimeline.version.desc())).all()


__all__ = ["Finding", "check", "preview", "holiday_friday", "save", "restore", "versions", "changes_in_words"]
