"""The one error a service raises when an action does not fit: a sentence for the person who tried it.

`DomainError(message, field=None)`: `message` is always a translated sentence (a lazy string, so it
is read in the language of whoever sees it), `field` the form field it belongs to, if any. Subclasses
name the area (`WorkError`, `MandateError`, ...) but add nothing a caller must know.

A service may have changed rows before it found out it must refuse (a counter bumped to take a lock,
say). So whenever a DomainError is raised in a request, that request's transaction is rolled back,
also when the view catches it and redirects (`portal/__init__.py: commit_or_roll_back`): half a
change is never committed. Services never commit or roll back themselves.
"""
from __future__ import annotations

from flask import g, has_app_context


class DomainError(Exception):
    """The action does not fit; `message` says why, in the reader's language."""

    def __init__(self, message, field: str | None = None, problems: list | None = None):
        super().__init__(str(message))
        self.message, self.field = message, field
        # Every field and why, when there is more than one thing to fix (a form of answers).
        self.problems = problems or [(field, message)]
        if has_app_context():
            g.domain_error = True  # this request rolls back, whatever it answers


class SettingError(DomainError):
    """An admin's change cannot be made; `problems` lists each field and why."""


def refuse(problems: list, error: type[DomainError] = DomainError) -> None:
    """Raise `error` for the first of these (field, message) problems, carrying them all; nothing when empty."""
    if problems:
        field, message = problems[0]
        raise error(message, field, problems)


def domain_error_raised() -> bool:
    return bool(g.get("domain_error"))
