"""Search: one box finds complaints by reference, e-mail address, name, phone number, or words from
the story and the messages.

What a search may find is what the queue shows the same person (`queue.visible_complaints`): a
search never opens a door the queue keeps shut. The words are looked up in the index the database
keeps (`portal/search_index.py`): FTS5 on SQLite, a `tsvector` with Dutch and English stemming on
PostgreSQL. What people type never reaches the engine's query language: only the letters and digits
of each word are used, each as a literal term, so quotes, `*`, `-`, `NEAR` or `OR` are plain words
or nothing. A search that cannot mean anything is refused with a sentence, never a 500.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import column, func, select, table, text, union
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..models import Complaint, User
from ..search_index import TABLE
from .errors import DomainError
from .queue import PER_PAGE, visible_complaints
from .secrets import REFERENCE_LENGTH, normalise_reference
from .text import clean_line, is_phone_number, normalise_email

MAX_LENGTH = 200  # longer is a pasted text, not a search
MAX_WORDS = 10  # every word must match: more than this finds nothing but costs the engine

_WORD = re.compile(r"\w+")
_index = table(TABLE, column("rowid"), column("complaint_id"), column("document"))


class SearchRefused(DomainError):
    """What was typed cannot be searched for; the sentence says what would work."""


@dataclass(frozen=True)
class Terms:
    """A search, taken apart: each kind of thing it could be."""

    words: tuple[str, ...]
    reference: str | None = None
    email: str | None = None
    phones: tuple[str, ...] = ()


@dataclass(frozen=True)
class Found:
    """One page of what a search found, newest first, and how many there are in all."""

    complaints: list[Complaint]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max((self.total + PER_PAGE - 1) // PER_PAGE, 1)


def search(user: User, query: str, page: int = 1) -> Found:
    """The complaints this person may see that match `query`, one page of them, newest first."""
    terms = search_terms(query)
    found = _matching_ids(terms).cte("found")
    if db.session.get_bind().dialect.name == "postgresql":
        # Look the words up first, in the index, then join: as a plain subquery PostgreSQL misjudges how
        # many match and tests every complaint's document one by one (180 ms instead of 55 with 100,000).
        found = found.prefix_with("MATERIALIZED")
    matching = visible_complaints(user).join(found, found.c[0] == Complaint.id)
    page = max(page, 1)
    # The page's ids and the number of all matches in one pass over the index (a window count):
    # counting in a query of its own would look every match up twice.
    rows = db.session.execute(
        matching.with_only_columns(Complaint.id, func.count().over())
        .order_by(Complaint.created_at.desc(), Complaint.id.desc())
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    if not rows:  # past the last page (or nothing found): the count alone
        total = db.session.scalar(matching.with_only_columns(func.count(Complaint.id))) or 0
        return Found([], total, page)
    by_id = {complaint.id: complaint for complaint in db.session.scalars(
        select(Complaint).where(Complaint.id.in_([row[0] for row in rows]))
        .options(joinedload(Complaint.category), joinedload(Complaint.owner)))}
    return Found([by_id[row[0]] for row in rows], rows[0][1], page)


def search_terms(query: str) -> Terms:
    """What the search could mean: a reference, an address, a phone number, and always its words."""
    cleaned = clean_line(query if isinstance(query, str) else "") or ""
    if len(cleaned) > MAX_LENGTH:
        raise SearchRefused(_l("Search for at most %(count)s characters.", count=MAX_LENGTH), field="q")
    words = tuple(word.lower() for word in _WORD.findall(cleaned))[:MAX_WORDS]
    characters = re.sub(r"[^0-9A-Za-z]", "", cleaned)
    terms = Terms(
        words=words,
        reference=normalise_reference(cleaned) if len(characters) == REFERENCE_LENGTH else None,
        email=normalise_email(cleaned) if "@" in cleaned and words else None,
        phones=phone_forms(cleaned) if is_phone_number(cleaned) else ())
    if not (terms.words or terms.reference or terms.email or terms.phones):
        raise SearchRefused(_l("Enter a reference, an email address, a name, a phone number or a few words."),
                            field="q")
    return terms


def phone_forms(number: str) -> tuple[str, ...]:
    """The digits of a phone number, and the same number written the other Dutch way (06… or +31 6…).

    The index holds the digits as the customer typed them, so both ways are looked for."""
    digits = re.sub(r"\D", "", number)
    if digits.startswith("0031"):
        national = digits[4:]
    elif digits.startswith("31") and number.lstrip().startswith("+"):
        national = digits[2:]
    elif digits.startswith("0") and not digits.startswith("00"):
        national = digits[1:]
    else:
        return (digits,)
    return tuple(dict.fromkeys((digits, "0" + national, "31" + national, "0031" + national)))


def _matching_ids(terms: Terms):
    """The ids of every complaint one of the terms finds: a union of indexed look-ups."""
    parts = []
    if terms.reference:
        parts.append(select(Complaint.id).where(Complaint.reference == terms.reference))
    if terms.email:
        parts.append(select(Complaint.id).where(func.lower(Complaint.email) == terms.email))
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    if terms.words:
        parts.append(_words_on_postgresql(terms.words) if postgresql else _words_on_sqlite(terms.words))
    if terms.phones:
        parts.append(_phone_on_postgresql(terms.phones) if postgresql else _phone_on_sqlite(terms.phones))
    found = union(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
    return select(found.c[0])


def _quoted(words) -> list[str]:
    # Each word is letters and digits only (\w+), so in quotes it is one literal FTS5 term.
    return [f'"{word}"' for word in words]


def _words_on_sqlite(words):
    """Every word, in the name, the story or the messages (FTS5: terms side by side must all match)."""
    return select(_index.c.rowid).where(text(f"{TABLE} MATCH :match").bindparams(match=" ".join(_quoted(words))))


def _phone_on_sqlite(phones):
    return select(_index.c.rowid).where(
        text(f"{TABLE} MATCH :phone").bindparams(phone="phone : (" + " OR ".join(_quoted(phones)) + ")"))


def _words_on_postgresql(words):
    """Every word, each in its Dutch or its English stem (a word both languages ignore, like "the", drops
    out: PostgreSQL joins an empty part away)."""
    parts, values = [], {}
    for number, word in enumerate(words):
        values[f"word{number}"] = word
        parts.append(f"(plainto_tsquery('dutch', :word{number}) || plainto_tsquery('english', :word{number}))")
    return select(_index.c.complaint_id).where(
        text(f"{TABLE}.document @@ ({' && '.join(parts)})").bindparams(**values))


def _phone_on_postgresql(phones):
    values = {f"phone{number}": phone for number, phone in enumerate(phones)}
    either = " || ".join(f"plainto_tsquery('simple', :{name})" for name in values)
    return select(_index.c.complaint_id).where(text(f"{TABLE}.document @@ ({either})").bindparams(**values))
