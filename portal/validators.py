"""WTForms adapters: input clean-up and checks, each with a whole, translatable sentence."""
from __future__ import annotations

from wtforms.validators import ValidationError

from .services.money import AMBIGUOUS, MAX_AMOUNT_CENTS, is_ambiguous, parse_amount_cents
from .services.text import clean_line, clean_text, is_phone_number

# The clean-up is the services' (every door cleans the same way); the forms use it as filters.
__all__ = ["clean_text", "clean_line", "Required", "LengthBetween", "PhoneNumber", "Amount"]


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

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if field.data and not is_phone_number(field.data):
            raise ValidationError(self.message)


class Amount:
    def __init__(self, message, too_large):
        self.message, self.too_large = message, too_large

    def __call__(self, form, field):
        if field.data:
            if is_ambiguous(field.data):
                raise ValidationError(AMBIGUOUS % {"amount": field.data})
            cents = parse_amount_cents(field.data)
            if cents is None:
                raise ValidationError(self.message)
            if cents > MAX_AMOUNT_CENTS:
                raise ValidationError(self.too_large)
