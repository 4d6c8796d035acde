"""Helpers every page can use, registered on the app by `create_app` (not by one blueprint): the
footer's opening hours, the words for states and events, a reference spelled out for screen readers.
"""
from __future__ import annotations

from datetime import datetime

from babel.dates import get_day_names
from flask import Flask
from flask_babel import gettext, ngettext
from .i18n import lazy_gettext as _l

from .admin.forms import ROLE_CHOICES, UNIT_CHOICES
from .extensions import db
from .formatting import current_language
from .forms import CONTACT_CHOICES, LANGUAGE_CHOICES, SIGNAL_CHOICES, WISH_CHOICES
from .models import User
from .services.calendar import opening_groups
from .services.organisation import organisation_snapshot
from .states import Status
from .wording.customer import (CLOSED_AFTER_ANSWER, CLOSED_AFTER_SOLVED, CLOSED_WITH_REASON, COME_BACK_CHOICES,
                               CUSTOMER_EVENT_TEXT, KEEP_LINK, KIND_NAME, SOLVED_CHOICES, STATUS_EXPLANATION,
                               STATUS_HEADLINE, TREATMENT_CHOICES, kind_group)
from .wording.staff import ERASURE_VIA_WORDS, OFFER_STATE, PROMISE_STATE, STAFF_EVENT_TEXT, STATUS_WORDS

HELPERS = {}


def helper(function):
    """A function templates call by its name."""
    HELPERS[function.__name__] = function
    return function


def register(app: Flask) -> None:
    app.jinja_env.globals.update(HELPERS)


ANSWER_LABELS = {
    "solved": dict(SOLVED_CHOICES),
    "treatment": dict(TREATMENT_CHOICES),
    "come_back": dict(COME_BACK_CHOICES),
    "wish": dict(WISH_CHOICES),
    "contact_by": dict(CONTACT_CHOICES),
    "language": dict(LANGUAGE_CHOICES),
    "kind": dict(SIGNAL_CHOICES),
}


@helper
def answer_label(field: str, value) -> str:
    """The words a customer chose, for an answer stored as a code."""
    return str(ANSWER_LABELS.get(field, {}).get(str(value) if value is not None else value, value or ""))


@helper
def status_words(complaint) -> tuple[str, str]:
    """The headline and the sentence that say where a complaint stands."""
    explanation = STATUS_EXPLANATION[complaint.status]
    if complaint.status == Status.CLOSED:
        if complaint.close_reason:
            explanation = CLOSED_WITH_REASON
        elif complaint.resolved_at:
            explanation = CLOSED_AFTER_SOLVED
        elif complaint.kind != "complaint":
            explanation = CLOSED_AFTER_ANSWER
    return str(STATUS_HEADLINE[(kind_group(complaint.kind), complaint.status)]), str(explanation)


@helper
def keep_link_words(complaint) -> str:
    """'Keep this link to yourself', with the word for what they sent (also in mail)."""
    return str(KEEP_LINK.get(complaint.kind, KEEP_LINK["complaint"]))


@helper
def spelled_out(reference: str) -> str:
    """'KM4T-7XRA' as 'K M 4 T, 7 X R A': a screen reader reads each character, not a word."""
    return ", ".join(" ".join(part) for part in (reference or "").split("-"))


@helper
def event_words(event) -> str:
    text = CUSTOMER_EVENT_TEXT.get(event.kind)
    return str(text) % {"name": (event.data or {}).get("name", "")} if text else ""


@helper
def customer_timeline(complaint):
    from .services.timelines import customer_timeline as entries

    return entries(complaint)


@helper
def kind_name(kind) -> str:
    return str(KIND_NAME.get(kind, kind))


class _Blank(dict):
    def __missing__(self, key):
        return ""


@helper
def agent_event_words(event) -> str:
    # A hand-over can be a take-over or a reassignment: same event for the customer, its own words here.
    data = event.data or {}
    key = data.get("variant") or event.kind
    # "The customer asked for a manager: " with nothing after it: the words without the detail.
    if f"{key}/" in STAFF_EVENT_TEXT and not data.get({"manager_asked": "reason"}.get(key, "note")):
        key = f"{key}/"
    text = STAFF_EVENT_TEXT.get(key)
    return str(text) % _Blank(event.data or {}) if text else event.kind


@helper
def needing_me_count() -> int:
    """The count in the staff header: my complaints flagged for my attention."""
    from flask_login import current_user

    from .services.notices import needing_me

    return needing_me(current_user) if current_user.is_authenticated else 0


@helper
def promise_task(promise, label: str | None = None) -> str:
    """A promise (or a step key) in staff words: the work it asks of us. A step an admin added has no
    staff words: then its label is quoted, when the page gives it, as what the customer reads."""
    from .wording.staff import PROMISE_TASK_OTHER, PROMISE_TASKS

    key = promise if isinstance(promise, str) else promise.key
    if key in PROMISE_TASKS:
        return str(PROMISE_TASKS[key])
    return f"“{label}”" if label else str(PROMISE_TASK_OTHER)


@helper
def audit_sentence(event) -> str:
    """An audit event as a sentence in the reader's language ("Joke Jansen published the improvement …")."""
    from .wording.staff import AUDIT_NOBODY, AUDIT_SENTENCES, AUDIT_UNKNOWN

    # A timeline keeps its steps as a list: only a dict holds the values a sentence names.
    after = event.after if isinstance(event.after, dict) else {}
    before = event.before if isinstance(event.before, dict) else {}
    mailed = after.get("mailed") or 0
    values = dict(who=event.user.name if event.user else str(AUDIT_NOBODY), subject=event.subject or "",
                  action=event.action, status=after.get("status", ""),
                  role=role_words(after.get("role", "")), before_role=role_words(before.get("role", "")),
                  mailed=ngettext("%(num)s customer was mailed", "%(num)s customers were mailed", mailed))
    sentence = AUDIT_SENTENCES.get(event.action)
    return str(sentence if sentence is not None else AUDIT_UNKNOWN) % values


@helper
def offset_words(amount, unit: str) -> str:
    """"1 working day", "2 working days": a step's offset with its plural right."""
    from .services.promise_editor import offset_words as words

    return words(amount, unit)


@helper
def audit_action_words(action: str) -> str:
    """An action code as the audit filter lists it: its sentence with nobody and nothing filled in."""
    from .wording.staff import AUDIT_ACTION_WORDS

    return str(AUDIT_ACTION_WORDS.get(action, action.replace("_", " ")))


@helper
def audit_changes(event) -> list[tuple[str, str, str]]:
    """What an audit event changed: only the settings whose value differs, as (setting, before, after)."""
    before, after = event.before or {}, event.after or {}
    if not isinstance(before, dict) or not isinstance(after, dict) or not before:
        return []
    shown = lambda value: "–" if value in (None, "") else str(value)  # noqa: E731
    return [(name.replace("_", " "), shown(before.get(name)), shown(after.get(name)))
            for name in after if before.get(name) != after.get(name)]


@helper
def admins_to_ask() -> list:
    """The admins named in the staff footer; only for someone signed in (the login page names nobody)."""
    from flask_login import current_user

    from .services.people import admins_to_ask as query

    return query() if current_user.is_authenticated else []


@helper
def erasure_via_words(via: str | None) -> str:
    return str(ERASURE_VIA_WORDS.get(via or "web", via))


@helper
def promise_state_words(state: str) -> str:
    return str(PROMISE_STATE.get(state, state))


@helper
def offer_state_words(state: str) -> str:
    return str(OFFER_STATE.get(state, state))


@helper
def due_words(due_at: datetime | None, now: datetime, calendar) -> str:
    """'due in 3 working hours', '2 working days overdue': how much time a promise has left."""
    if due_at is None:
        return str(_l("No open promise"))
    if due_at >= now:
        days = calendar.working_days_between(now, due_at)
        if days == 0:
            hours = max(round(calendar.working_time_between(now, due_at).total_seconds() / 3600), 1)
            return ngettext("due in %(num)s working hour", "due in %(num)s working hours", hours)
        return ngettext("due in %(num)s working day", "due in %(num)s working days", days)
    days = calendar.working_days_between(due_at, now)
    if days == 0:
        hours = max(round(calendar.working_time_between(due_at, now).total_seconds() / 3600), 1)
        return ngettext("%(num)s working hour overdue", "%(num)s working hours overdue", hours)
    return ngettext("%(num)s working day overdue", "%(num)s working days overdue", days)


@helper
def unit_words(unit: str) -> str:
    return str(dict(UNIT_CHOICES).get(unit, unit))


@helper
def opening_hours_words() -> list[str]:
    """The opening hours in the reader's language, like 'Monday to Friday, 9:00 to 17:00' (for the help)."""
    # Kept with the settings snapshot (it goes when they change): every page's help shows them.
    snapshot = organisation_snapshot()
    memo = snapshot.__dict__.setdefault("opening_hours_words", {})
    language = current_language()
    if language in memo:
        return memo[language]
    names = get_day_names("wide", locale=language)

    def clock(value: str) -> str:
        hours, minutes = value.split(":")
        return gettext("%(hours)s:%(minutes)s", hours=int(hours), minutes=minutes)

    words = []
    for first, last, opens, closes in opening_groups(snapshot.calendar.opening_hours):
        if first == last:
            words.append(gettext("%(day)s, %(opens)s to %(closes)s", day=names[first],
                                 opens=clock(opens), closes=clock(closes)))
        else:
            words.append(gettext("%(first)s to %(last)s, %(opens)s to %(closes)s", first=names[first],
                                 last=names[last], opens=clock(opens), closes=clock(closes)))
    memo[language] = words
    return words


@helper
def user_name(user_id: int) -> str:
    user = db.session.get(User, user_id)
    return user.name if user else ""


@helper
def role_words(role: str) -> str:
    return str(dict(ROLE_CHOICES).get(role, role))


@helper
def admin_status_words(status: str) -> str:
    return str(STATUS_WORDS.get(status, status))


@helper
def survey_sentence(language: str) -> str:
    """The sentence that asks the three questions (the admin's, or ours)."""
    from .services.satisfaction import sentence

    return sentence(language)
