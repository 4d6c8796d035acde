"""Reply templates the organisation owns: per language, for every signal, one kind or one category.

Admins and supervisors write them (empathy first: seed text 000, listen before you solve); an agent
picks one on the complaint page and it lands in the reply box with its placeholders filled in, in the
customer's language, to be made their own before it is sent. A template is a text customers read, so
the charter lint checks it as it checks every such text: hedge words stop the saving (right 3), jargon
and long sentences warn. A new organisation starts with three defaults in both languages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import force_locale, format_date
from sqlalchemy import case, or_, select

from charter.lint import lint

from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..models import Complaint, ReplyTemplate, User, utcnow
from ..states import Kind, PromiseState
from .audit import audit
from .calendar import BusinessCalendar
from .errors import SettingError, refuse
from .plain_language import finding_message

LANGUAGES = ("nl", "en")
TITLE_MAX, BODY_MAX = 80, 5000
PLACEHOLDERS = ("first_name", "name", "reference", "next_promise_date", "agent_name")
# Anything in curly brackets is meant as a placeholder: one we do not know is a typing error the
# customer would read as it stands, so it stops the saving.
_BRACED = re.compile(r"\{([^{}]*)\}")

DEFAULTS = {
    "nl": [
        ("Luisteren en erkennen", "Beste {name},\n\nDank u dat u ons vertelt wat er gebeurde. Ik begrijp dat dit "
         "vervelend voor u was, en het spijt me. Mijn naam is {agent_name}. Ik behandel uw klacht van begin tot "
         "eind.\n\n"),
        ("Sorry zeggen, dan wat u doet", "Beste {name},\n\nU heeft gelijk: dit had niet mogen gebeuren. Het spijt "
         "me. Dit doe ik nu:\n\n"),
        ("Eén duidelijke vraag stellen", "Beste {name},\n\nDank u voor uw verhaal. Om het goed te maken, wil ik één "
         "ding weten: \n\n"),
    ],
    "en": [
        ("Listen and acknowledge", "Dear {name},\n\nThank you for telling us what happened. I understand that this "
         "annoyed you, and I am sorry. My name is {agent_name}. I handle your complaint from start to end.\n\n"),
        ("Say sorry, then what you do", "Dear {name},\n\nYou are right: this should not have happened. I am sorry. "
         "This is what I do now:\n\n"),
        ("Ask one clear question", "Dear {name},\n\nThank you for your story. To put it right, I need to know one "
         "thing: \n\n"),
    ],
}


@dataclass(frozen=True)
class Scope:
    """Which signals a template is for: every one (both None), one kind, or one category of complaints."""
    kind: str | None = None
    category_id: int | None = None

    @property
    def value(self) -> str:
        if self.category_id:
            return f"category:{self.category_id}"
        return f"kind:{self.kind}" if self.kind else "all"

    @classmethod
    def parse(cls, value: str | None) -> Scope | None:
        value = value or "all"
        if value == "all":
            return cls()
        what, _, which = value.partition(":")
        if what == "kind" and which in {kind.value for kind in Kind}:
            return cls(kind=which)
        if what == "category" and which.isdigit():
            return cls(kind=Kind.COMPLAINT, category_id=int(which))
        return None


def seed_defaults() -> None:
    """The three built-in templates in both languages, for a new organisation (migration 0027 adds them
    to an existing one)."""
    for language, rows in DEFAULTS.items():
        for position, (title, body) in enumerate(rows, start=1):
            db.session.add(ReplyTemplate(title=title, language=language, body=body, position=position))


def placeholder_problems(body: str) -> list:
    """Why these curly brackets cannot be filled in: an unknown name, or a bracket on its own."""
    problems = []
    unknown = [name for name in _BRACED.findall(body) if name not in PLACEHOLDERS]
    if unknown:
        problems.append(_l("“{%(name)s}” is not a placeholder we can fill in. Use one of: %(known)s.",
                           name=unknown[0], known=", ".join("{%s}" % name for name in PLACEHOLDERS)))
    if "{" in _BRACED.sub("", body) or "}" in _BRACED.sub("", body):
        problems.append(_l("A curly bracket is on its own. Put one on both sides of a placeholder, like {name}."))
    return problems


def check(values: dict) -> list:
    """Every (field, message) that stops the saving."""
    problems = []
    title, body = (values.get("title") or "").strip(), (values.get("body") or "").strip()
    if not title:
        problems.append(("title", _l("Give the template a short name, like “Listen first”")))
    elif len(title) > TITLE_MAX:
        problems.append(("title", _l("Keep the name under %(n)s characters", n=TITLE_MAX)))
    if values.get("language") not in LANGUAGES:
        problems.append(("language", _l("Choose the language the customer reads")))
    if Scope.parse(values.get("scope")) is None:
        problems.append(("scope", _l("Choose what the template is for")))
    if not body:
        problems.append(("body", _l("Write the text the agent starts from")))
    elif len(body) > BODY_MAX:
        problems.append(("body", _l("Keep the text under %(n)s characters", n=BODY_MAX)))
    problems += [("body", message) for message in placeholder_problems(body)]
    if body and values.get("language") in LANGUAGES:
        problems += [("body", finding_message(finding)) for finding in lint(_BRACED.sub("Anna", body),
                                                                            values["language"])
                     if finding.severity == "error"]
    return problems


def warnings(values: dict) -> list:
    """Jargon and long sentences: they warn, the template is saved."""
    if values.get("language") not in LANGUAGES:
        return []
    return [finding_message(finding) for finding in lint(_BRACED.sub("Anna", values.get("body") or ""),
                                                         values["language"]) if finding.severity != "error"]


def save(actor: User, template: ReplyTemplate | None, values: dict) -> ReplyTemplate:
    refuse(check(values), SettingError)
    scope = Scope.parse(values.get("scope"))
    new = template is None
    before = None if new else _described(template)
    template = template or ReplyTemplate()
    template.title, template.language = values["title"].strip(), values["language"]
    template.body = values["body"].strip() + "\n\n"  # the agent goes on writing below it
    template.kind, template.category_id = scope.kind, scope.category_id
    template.updated_at, template.updated_by_id = utcnow(), actor.id
    if new:
        template.position = (db.session.scalar(select(db.func.max(ReplyTemplate.position))) or 0) + 1
        db.session.add(template)
    db.session.flush()
    audit(actor, "reply_template_added" if new else "reply_template_changed", template.title,
          before=before, after=_described(template))
    return template


def remove(actor: User, template: ReplyTemplate) -> None:
    audit(actor, "reply_template_removed", template.title, before=_described(template))
    db.session.delete(template)
    db.session.flush()


def _described(template: ReplyTemplate) -> dict:
    return {"title": template.title, "language": template.language, "scope": Scope(template.kind,
                                                                                   template.category_id).value}


def all_templates() -> list[ReplyTemplate]:
    return list(db.session.scalars(select(ReplyTemplate).order_by(ReplyTemplate.language, ReplyTemplate.position,
                                                                  ReplyTemplate.id)))


def for_complaint(complaint: Complaint) -> list[ReplyTemplate]:
    """The templates that fit this signal, in its customer's language: its category's first, then its
    kind's, then those for every signal (the most fitting is the first key to press)."""
    fits = or_(ReplyTemplate.category_id == complaint.category_id if complaint.category_id else False,
               (ReplyTemplate.category_id.is_(None)) & (ReplyTemplate.kind == complaint.kind),
               (ReplyTemplate.category_id.is_(None)) & (ReplyTemplate.kind.is_(None)))
    specific = case((ReplyTemplate.category_id.is_not(None), 0), (ReplyTemplate.kind.is_not(None), 1), else_=2)
    return list(db.session.scalars(
        select(ReplyTemplate).where(ReplyTemplate.language == complaint.language, fits)
        .order_by(specific, ReplyTemplate.position, ReplyTemplate.id)))


def values_for(complaint: Complaint, agent: User, calendar: BusinessCalendar) -> dict:
    """What each placeholder becomes for this complaint, in its customer's language."""
    owed = [p.due_at for p in complaint.promises if p.state in (PromiseState.OPEN, PromiseState.MISSED)
            and p.due_at is not None]
    with force_locale(complaint.language):
        next_date = format_date(calendar.local_date(min(owed)), "d MMMM yyyy") if owed else ""
    name = (complaint.name or "").strip()
    return {"first_name": name.split()[0] if name else "", "name": name, "reference": complaint.reference,
            "next_promise_date": next_date, "agent_name": agent.name}


def fill(template: ReplyTemplate, values: dict) -> str:
    """The template with its placeholders filled in (only known names; anything else stays as written)."""
    return _BRACED.sub(lambda found: values.get(found.group(1), found.group(0)), template.body)
