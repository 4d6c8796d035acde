"""Logs never hold a customer's secret link: `/s/<token>` is masked before any handler sees it."""
from __future__ import annotations

import logging
import re

_SECRET_PATH = re.compile(r"/s/[A-Za-z0-9_-]{16,}")
MASK = "/s/[secret]"
LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error", "portal")


def mask(text: str) -> str:
    return _SECRET_PATH.sub(MASK, text)


class SecretLinkFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message or record.exc_info:
            record.msg, record.args = masked, ()
            if record.exc_info and not record.exc_text:
                record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
            elif record.exc_text:
                record.exc_text = mask(record.exc_text)
            record.exc_info = None if record.exc_text else record.exc_info
        return True


_FILTER = SecretLinkFilter()


def install(app_logger: logging.Logger) -> None:
    """Add the filter once to our logger, the servers' loggers and the app's own logger."""
    for logger in [logging.getLogger(name) for name in LOGGERS] + [app_logger]:
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
