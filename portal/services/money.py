"""Money as typed by people and as stored: integer cents. One parser, one cap, one conversion."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

MAX_AMOUNT_CENTS = 100_000_000  # one million euros: anything above is a typing mistake
TOO_LARGE = _l("The amount must be 1,000,000 euros or less.")


def euros_to_cents(euros: int) -> int:
    """Whole euros (a mandate, a budget) as cents."""
    return int(euros) * 100


def cents_to_euros(cents: int) -> int:
    """Cents as whole euros, rounded down (what the mandate fields show)."""
    return int(cents) // 100


def parse_amount_cents(text: str | None) -> int | None:
    """'25', '25,50', '€ 1.250,00' or '25.50' as cents; None when it is not an amount."""
    text = re.sub(r"[€\s]|EUR|eur", "", text or "")
    if not text:
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
