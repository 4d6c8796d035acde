"""Who may open what, and where a page may send someone on to: shared by every blueprint."""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, redirect, url_for
from flask_login import current_user, login_required


def role_required(role: str):
    """Logged in, and at least this role; anyone else gets a 403 page, never data. An admin whom the
    organisation asks to use two-step login sets it up first (the two-step pages need only a login)."""
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            from .services.sign_in import two_step_missing

            if not current_user.can(role):
                abort(403)
            if two_step_missing(current_user):
                return redirect(url_for("agent.two_step_page"))
            return view(*args, **kwargs)
        return wrapped
    return decorator


def safe_next(target: str | None, fallback: str) -> str:
    """`target` when it is a path on this site, else `fallback`: never another host.

    Browsers drop tabs and newlines and read a backslash as a slash, so "/\\t/evil.example" and
    "/\\\\evil.example" lead elsewhere: any control character, backslash or leading "//" is refused.
    """
    if not target or not target.startswith("/") or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return fallback
    if "\\" in target or target.startswith("//"):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target
