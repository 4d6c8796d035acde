"""WTForms adapters: input clean-up and checks, each with a whole, translatable sentence."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from wtforms.validators import ValidationError

# Control characters other than tab and newline: pasted from other programs, never meant.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")


def clean_text(value):
    """Strip what nobody means to type: control characters, \\r, and space around the text."""
    if value is None:
        return value
    return _CONTROL.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n")).strip()


def clean_line(value):
    if value is None:
        return value
    return re.sub(r"\s+", " ", clean_text(value))


class Required:
    """Like DataRequired, but it cannot exist without the sentence a person reads."""

    field_flags = {}

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if not field.data or (isinstance(field.data, str) and not field.data.strip()):
            field.errors[:] = []
            from wtforms.validators import StopValidation

            raise StopValidation(self.message)


class LengthBetween:
    """Too short and too long each get their own sentence."""

    def __init__(self, minimum: int, maximum: int, too_short, too_long):
        self.minimum, self.maximum = minimum, maximum
        self.too_short, self.too_long = too_short, too_long

    def __call__(self, form, field):
        length = len(field.data or "")
        if self.minimum and length < self.minimum:
            raise ValidationError(self.too_short)
        if length > self.maximum:
            raise ValidationError(self.too_long)


class PhoneNumber:
    """Any usual way of writing a phone number: digits with spaces, dashes, dots, brackets or a +."""

    _allowed = re.compile(r"^\+?[\d\s().-]{6,25}$")

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if field.data and (not self._allowed.match(field.data)
                           or len(re.sub(r"\D", "", field.data)) < 6):
            raise ValidationError(self.message)


def parse_amount_cents(text: str) -> int | None:
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


class Amount:
    def __init__(self, message, too_large):
        self.message, self.too_large = message, too_large

    def __call__(self, form, field):
        if field.data:
            cents = parse_amount_cents(field.data)
            if cents is None:
                raise ValidationError(self.message)
            if cents > 100_000_000:
                raise ValidationError(self.too_large)
