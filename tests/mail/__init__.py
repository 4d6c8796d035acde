"""A real SMTP server on loopback (aiosmtpd), for the tests that send mail the way production does.

Flask-Mail reads MAIL_SERVER and MAIL_PORT once, when the app is built, so a test picks a free port
first, puts it in `app_config`, and starts (or does not start) the server on it when it wants to.
"""
from __future__ import annotations

import email
import email.policy
import re
import socket
from datetime import datetime
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"
ZONE = ZoneInfo("Europe/Amsterdam")  # the demo organisation's time zone

# Written out here, not taken from Babel, so the test checks the words a reader sees.
WEEKDAYS = {
    "nl": ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
MONTHS = {
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
}


def free_port() -> int:
    """A loopback port nobody listens on (until a test starts a server there)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def mail_settings(port: int) -> dict:
    """The settings that make the app send real mail to the loopback server on `port`."""
    return {"MAIL_SERVER": HOST, "MAIL_PORT": port, "MAIL_USE_TLS": False, "MAIL_USE_SSL": False,
            "MAIL_SUPPRESS_SEND": False}  # TESTING would otherwise make Flask-Mail send nothing


def spelled_out(moment: datetime, language: str) -> str:
    """'dinsdag 24 november 2026, 17:00' / 'Tuesday 24 November 2026, 17:00', in the organisation's zone."""
    local = moment.astimezone(ZONE)
    return (f"{WEEKDAYS[language][local.weekday()]} {local.day} {MONTHS[language][local.month - 1]} "
            f"{local.year}, {local:%H:%M}")


class Received:
    """One mail as the SMTP server got it."""

    def __init__(self, envelope):
        self.mail_from = envelope.mail_from
        self.rcpt_tos = list(envelope.rcpt_tos)
        self.message: EmailMessage = email.message_from_bytes(envelope.original_content,
                                                              policy=email.policy.default)

    def __getitem__(self, header: str) -> str:
        return str(self.message[header] or "")

    @property
    def text(self) -> str:
        part = self.message.get_body(("plain",))
        assert part is not None, "the mail has a plain-text part"
        return part.get_content()

    @property
    def html(self) -> str:
        part = self.message.get_body(("html",))
        assert part is not None, "the mail has an HTML part"
        return part.get_content()

    def links(self) -> list[str]:
        return re.findall(r"https?://[^\s<>\"']+", self.text)


class SmtpServer:
    """An aiosmtpd server on 127.0.0.1:`port` that keeps every mail it accepts."""

    def __init__(self, port: int):
        self.port = port
        self.received: list[Received] = []
        self._controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls this for each mail
        self.received.append(Received(envelope))
        return "250 Message accepted for delivery"

    def start(self) -> SmtpServer:
        self._controller = Controller(self, hostname=HOST, port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
