"""Forms that bring files: a larger request only where a form takes files, and the files read from it.

Every other page keeps `MAX_CONTENT_LENGTH` (1 MB: a flood of bytes gets the kind 413 page before it
is read). A page with files may send every file at its largest (services/attachments.py: the admin's
limits), so a file that is too large is refused by our own check, with the typed text kept.
"""
from __future__ import annotations

import io

from flask import Request, abort, send_file

# Served files run nothing: no scripts, no forms, no frames, nothing fetched but themselves.
FILE_POLICY = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
# The endpoints whose forms take files.
TAKES_FILES = {"public.status", "agent.reply", "public.question"}


class PortalRequest(Request):
    @property
    def max_content_length(self) -> int | None:
        # Only a form that really sends files (multipart); text alone keeps the small limit.
        if self.method == "POST" and self.endpoint in TAKES_FILES and self.mimetype == "multipart/form-data":
            from .services.attachments import request_limit

            return request_limit()
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        Request.max_content_length.fset(self, value)


def uploaded(field) -> list[tuple[str, bytes]]:
    """(name, content) of each file the field brought (an empty file input brings none)."""
    return [(item.filename, item.read()) for item in (field.data or []) if getattr(item, "filename", "")]


def serve_attachment(attachment, thumbnail: bool = False):
    """A stored file with headers that keep it a file: a photo we drew again may be shown in a page;
    a PDF or text file is only downloaded; neither can run anything on our origin (a CSP sandbox)."""
    from .services import attachments
    from .services.storage import get_storage

    if attachment is None:
        abort(404)
    key = attachment.thumbnail_key if thumbnail and attachment.thumbnail_key else attachment.key
    try:
        data = get_storage().get(key)
    except (OSError, KeyError, LookupError):
        abort(404)
    except Exception:  # the object storage is down: say so, and try again later
        abort(503)
    response = send_file(io.BytesIO(data), mimetype=attachment.content_type,
                         as_attachment=not attachments.served_inline(attachment), download_name=attachment.name,
                         max_age=0)
    response.headers["Content-Security-Policy"] = FILE_POLICY
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
