"""Form pieces every blueprint uses: choices, the e-mail and phone fields, the shared answer labels.

The rules behind them (lengths, what an address or a phone number looks like) are the services'
(`services/filing.py`, `services/text.py`); a field here only says them in the reader's words.
"""
from __future__ import annotations

from .i18n import lazy_gettext as _l
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email

from .services.filing import EMAIL_MAX
from .validators import LengthBetween, PhoneNumber, Required, clean_line


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


WISH_CHOICES = [
    ("fix", _l("Fix it or do it again")),
    ("compensation", _l("Compensation")),
    ("explanation", _l("An explanation or an apology")),
    ("listen", _l("Nothing: I just want you to know")),
    ("other", _l("Something else")),
]
LANGUAGE_CHOICES = [("nl", "Nederlands"), ("en", "English")]
CONTACT_CHOICES = [("email", _l("By email")), ("phone", _l("By phone"))]
SIGNAL_CHOICES = [("compliment", _l("A compliment")), ("suggestion", _l("An idea or suggestion"))]

WRONG_EMAIL = _l("Enter an email address in the correct format, like name@example.com")
WRONG_PHONE = _l("Enter a phone number, like 06 12345678 or +31 20 123 4567")
# Staff type someone else's address: the customer's own pages say "your".
STAFF_EMAIL_TOO_LONG = _l("The email address must be 254 characters or less")


def email_field(label, required_message, too_long=_l("Your email address must be 254 characters or less")):
    """An e-mail address: required, at most 254 characters, in the right form (no network look-up)."""
    return StringField(label, filters=[clean_line],
                       validators=[Required(required_message), LengthBetween(0, EMAIL_MAX, "", too_long),
                                   Email(WRONG_EMAIL, granular_message=False, check_deliverability=False)])


def phone_field(label):
    """An optional phone number, written any usual way."""
    return StringField(label, filters=[clean_line], validators=[PhoneNumber(WRONG_PHONE)])
