"""What people type, cleaned the same way at every door (forms, the API, mail, the login)."""
from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

# Control characters other than tab and newline, and invisible spaces: pasted from other programs,
# never meant.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_PHONE = re.compile(r"^\+?[\d\s().-]{6,25}$")


def clean_text(value):
    """Strip what nobody means to type: control characters, \\r, and space around the text."""
    if value is None:
        return value
    if not isinstance(value, str):  # a file sent where text belongs: refused, never stored as its repr
        return ""
    return _CONTROL.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n")).strip()


def clean_line(value):
    """One line of text: cleaned as `clean_text`, with every run of white space one space."""
    if value is None:
        return value
    return re.sub(r"\s+", " ", clean_text(value))


def normalise_email(value: str | None) -> str:
    """The form in which two addresses are compared (the login, the open-complaints cap)."""
    return (clean_line(value) or "").lower()


def is_phone_number(text: str) -> bool:
    """Any usual way of writing a phone number: digits with spaces, dashes, dots, brackets or a +."""
    return bool(_PHONE.match(text)) and len(re.sub(r"\D", "", text)) >= 6


def is_email_address(text: str) -> bool:
    """An address in the right form (whether it receives mail is not asked: no network)."""
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True
