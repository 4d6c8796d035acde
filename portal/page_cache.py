"""Pages kept after they are built, for as long as what they show is known to be the same.

Building the status page costs five queries, some forty strings and seven dates; a customer who
came from a mail reads it again and again. A kept page is shown again only when its *fingerprint*
is the same as when it was built: for the status page, the complaint's version and the names
version, which the database raises with every change (portal/versions.py), read in one small query
on every visit. Also part of every key: the reader's language and the organisation's settings as
this process has them.

- Only a plain GET with nothing waiting in the session (no flashed message) is served or kept.
- The CSRF token in a kept page is the first visitor's: it is stored as a placeholder and every
  visitor gets their own.
- A page that changes with time alone says until when it is true (`until`, seconds since the
  epoch); none is kept longer than MAX_SECONDS, so personal data does not stay in memory for long
  (a worker that serves neither page for a while drops them at its next one).
- Each process keeps its own pages (PAGE_CACHE_SIZE of them, 0 switches it off, and at most
  MAX_CHARACTERS in all): no page is shared between processes or servers, and each checks the
  database's counters itself.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import current_app, g, request, session

from .formatting import current_language
from .models import utcnow

MAX_SECONDS = 300.0
MAX_CHARACTERS = 2_000_000  # all kept pages of one process together (a long thread makes a long page)
SWEEP_SECONDS = 30.0
_CSRF_PLACEHOLDER = "\x00csrf-token\x00"


class PageCache:
    """At most `size` pages and MAX_CHARACTERS in all, the least recently read one dropped first.

    Pages past their time are dropped at the first use of the cache after it (at most every
    SWEEP_SECONDS a look through all of them), not only when they are asked for again: a page whose
    link stopped working after an erasure is never asked for again.
    """

    def __init__(self, size: int, max_characters: int = MAX_CHARACTERS):
        self.size, self.max_characters = size, max_characters
        self._pages: OrderedDict[Hashable, tuple[Hashable, float, str]] = OrderedDict()
        self._characters = 0
        self._swept_at = 0.0
        self._lock = threading.Lock()  # `flask run` serves requests in threads

    def get(self, key: Hashable, fingerprint: Hashable, now: float) -> str | None:
        with self._lock:
            self._sweep(now)
            kept = self._pages.get(key)
            if kept is None:
                return None
            if kept[0] != fingerprint or kept[1] <= now:
                self._drop(key)
                return None
            self._pages.move_to_end(key)
            return kept[2]

    def put(self, key: Hashable, fingerprint: Hashable, until: float, html: str, now: float) -> None:
        with self._lock:
            self._sweep(now)
            self._drop(key)
            if until <= now or len(html) > self.max_characters // 10:
                return  # no longer true already, or one page that would crowd out the rest
            self._pages[key] = (fingerprint, until, html)
            self._characters += len(html)
            while len(self._pages) > self.size or self._characters > self.max_characters:
                self._drop(next(iter(self._pages)))

    def discard(self, prefix: tuple) -> None:
        """Drop every page whose key starts with `prefix` (each language's copy of one page)."""
        with self._lock:
            for key in [key for key in self._pages if key[:len(prefix)] == prefix]:
                self._drop(key)

    def _drop(self, key: Hashable) -> None:
        kept = self._pages.pop(key, None)
        if kept is not None:
            self._characters -= len(kept[2])

    def _sweep(self, now: float) -> None:
        if now - self._swept_at < SWEEP_SECONDS:
            return
        self._swept_at = now
        for key in [key for key, kept in self._pages.items() if kept[1] <= now]:
            self._drop(key)

    def __len__(self) -> int:
        return len(self._pages)


def pages() -> PageCache | None:
    size = current_app.config.get("PAGE_CACHE_SIZE", 0)
    if size <= 0:
        return None
    cache = current_app.extensions.get("gehoord.pages")
    if cache is None:
        cache = current_app.extensions["gehoord.pages"] = PageCache(size)
    return cache


def usable() -> bool:
    """Whether this request may be served from, or kept in, the cache."""
    return (request.method == "GET" and not request.args and pages() is not None
            and "_flashes" not in session)


def serve(key: tuple, fingerprint: Hashable, build: Callable[[], tuple[str, float | None]]) -> str:
    """The page kept under `key` while `fingerprint` is the same, else `build()` -> (html, until)."""
    from .services.organisation import organisation_snapshot

    cache = pages()
    key = (*key, current_language(), organisation_snapshot().fingerprint)
    now = utcnow().timestamp()
    html = cache.get(key, fingerprint, now)
    if html is None:
        html, until = build()
        token = g.get("csrf_token")
        kept = html.replace(token, _CSRF_PLACEHOLDER) if token else html
        cache.put(key, fingerprint, min(until or float("inf"), now + MAX_SECONDS), kept, now)
        return html
    if _CSRF_PLACEHOLDER in html:
        from flask_wtf.csrf import generate_csrf

        html = html.replace(_CSRF_PLACEHOLDER, generate_csrf())
    return html


def forget(key: tuple) -> None:
    """Drop every language's copy of a page (its link stopped working)."""
    cache = pages()
    if cache is not None:
        cache.discard(key)
