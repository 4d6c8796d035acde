"""Money as typed by people and as stored: integer cents. One parser, one cap, one conversion."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ..i18n import lazy_gettext as _l

MAX_AMOUNT_CENTS = 100_000_000  # one million euros: anything above is a typing mistake
TOO_LARGE = _l("The amount must be 1,000,000 euros or less.")
AMBIGUOUS = _l("We can read %(amount)s in two ways. Write it without a dot, like 1250, or with cents, like 1.250,00")
_TWO_WAYS = re.compile(r"\d{1,3}\.\d{3}")


def _plain(text: str | None) -> str:
    return re.sub(r"[€\s]|EUR|eur", "", text or "")


def is_ambiguous(text: str | None) -> bool:
    """'100.001': a hundred thousand and one, or a hundred euros and a tenth of a cent?"""
    return bool(_TWO_WAYS.fullmatch(_plain(text)))


def euros_to_cents(euros: int) -> int:
    """Whole euros (a mandate, a budget) as cents."""
    return int(euros) * 100


def cents_to_euros(cents: int) -> int:
    """Cents as whole euros, rounded down (what the mandate fields show)."""
    return int(cents) // 100


def parse_amount_cents(text: str | None) -> int | None:
    """'25', '25,50', '€ 1.250,00', '1.250.000' or '25.50' as cents; None when it is not an amount,
    or when it can be read two ways: '100.001' (a hundred thousand and one, or a hundred euros and a
    tenth of a cent?) is asked again, never guessed."""
    text = _plain(text)
    if not text or is_ambiguous(text):
        return None
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d{1,2})?", text):  # Dutch thousands: 1.250,00
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d+,\d{1,2}", text):
        text = text.replace(",", ".")
    elif not re.fullmatch(r"\d+(\.\d{1,2})?", text):
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    return int(amount * 100)
