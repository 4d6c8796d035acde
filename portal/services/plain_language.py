"""What admins write for customers, checked against the charter: hedge words stop the saving (a
promise must be one customers can count on, right 3), jargon and long sentences only warn."""
from __future__ import annotations

from urllib.parse import urlsplit

from ..i18n import lazy_gettext as _l

from charter.lint import Finding, lint

from .errors import DomainError, refuse


def website_problem(url: str | None):
    """Why this cannot be a link customers click (only http and https), or None when it can."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in url:
        return _l("Enter a website address that starts with https://, like https://www.degeschillencommissie.nl")
    return None


def text_findings(values: dict, fields) -> list[tuple[str, Finding]]:
    """What the charter lint finds in each of these texts (the field name ends in _nl or _en)."""
    found = []
    for name in fields:
        text = (values.get(name) or "").strip()
        if text:
            found.extend((name, finding) for finding in lint(text, name[-2:]))
    return found


def finding_message(finding: Finding):
    """The sentence an admin reads about one finding, with the plainer way to say it."""
    if finding.severity == "error":
        return _l("“%(phrase)s” is vague: customers cannot count on it (right %(right)s). This stops the saving. "
                  "%(advice)s", phrase=finding.phrase, right=finding.right, advice=finding.advice)
    if finding.kind == "long_sentence":
        return _l("This sentence is long and hard to read (right %(right)s): “%(phrase)s…”. Split it.",
                  phrase=finding.phrase, right=finding.right)
    return _l("“%(phrase)s” is hard to read for many people (right %(right)s). %(advice)s",
              phrase=finding.phrase, right=finding.right, advice=finding.advice)


def refuse_hedges(values: dict, fields, error: type[DomainError] = DomainError) -> None:
    """Hedge words block saving, as in the timeline editor (charter right 3); jargon only warns."""
    refuse([(name, finding_message(f)) for name, f in text_findings(values, fields) if f.severity == "error"], error)


def refuse_vague_words(text: str, language: str, field: str, error: type[DomainError] = DomainError) -> None:
    """A text an agent writes for one customer (a reason for a new date, an offer, a reason to close):
    a hedge word is refused, in the customer's language, so what we say can be counted on (right 3)."""
    for finding in lint(text or "", language):
        if finding.severity == "error":
            raise error(_l("“%(phrase)s” is vague: the customer cannot count on it (right %(right)s). "
                           "%(advice)s", phrase=finding.phrase, right=finding.right, advice=finding.advice), field)
