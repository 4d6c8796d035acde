"""Translations for templates, looked up once per page and language instead of once per string.

Flask-Babel finds the translations through five context lookups on every call; a status page asks
for 30 to 40 strings. The answer is kept on `g` beside the locale it belongs to, so a mail rendered
in the customer's language (`force_locale`) or a language switch (`refresh`) still gets its own.
"""
from __future__ import annotations

from functools import lru_cache

import flask_babel
from babel import support
from flask import Flask, g
from flask_babel.speaklater import LazyString
from jinja2 import pass_eval_context
from markupsafe import Markup


def translations():
    try:
        real_g = g._get_current_object()
    except RuntimeError:  # no app context: Flask-Babel's own answer (no translations)
        return flask_babel.get_translations()
    locale = getattr(getattr(real_g, "_flask_babel", None), "babel_locale", None)
    cached = getattr(real_g, "_gehoord_translations", None)
    if locale is not None and cached is not None and cached[0] is locale:
        return cached[1]
    found = flask_babel.get_translations()
    real_g._gehoord_translations = (flask_babel.get_locale(), found)
    return found


def current_locale():
    """The locale Flask-Babel chose for this request (or forced for a mail), without its lookups."""
    try:
        state = getattr(g._get_current_object(), "_flask_babel", None)
    except RuntimeError:
        state = None
    return getattr(state, "babel_locale", None) or flask_babel.get_locale()


def form_translations():
    """WTForms' own messages ('Not a valid integer value') in the reader's language.

    Flask-WTF reads that catalogue from disk again for every request that builds a form; it does
    not change while the app runs, so it is read once per language.
    """
    locale = current_locale()
    return _wtforms_catalogue(str(locale)) if locale is not None else None


@lru_cache(maxsize=8)
def _wtforms_catalogue(language: str):
    from wtforms.i18n import messages_path

    return support.Translations.load(messages_path(), [language], domain="wtforms")


@pass_eval_context
def template_gettext(eval_ctx, string: str, **variables) -> str:
    """Jinja's new-style `gettext` (escaped placeholders, always a format string) in one call.

    Jinja's own goes through three context calls per string (`_`, then `gettext`, then the
    function it wraps); a page has dozens of strings.
    """
    found = translations().ugettext(string)
    return _format(eval_ctx, found, variables)


@pass_eval_context
def template_ngettext(eval_ctx, singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    found = translations().ungettext(singular, plural, num)
    return _format(eval_ctx, found, variables)


def _format(eval_ctx, found: str, variables: dict) -> str:
    # As Jinja's own new-style gettext: `found` is our own text from the compiled catalogue, never
    # what somebody typed; what somebody typed arrives in `variables`, which Markup's `%` escapes.
    return (Markup(found) if eval_ctx.autoescape else found) % variables  # nosec B704


def install(app: Flask) -> None:
    """Put these in place of the template functions Flask-Babel installed (it already switched on
    Jinja's new-style gettext, which `{% trans %}` blocks follow too)."""
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext, ngettext=template_ngettext)


class Sentence(LazyString):
    """A sentence translated when it is read. Placed in a page (a flash, a field error, a warning),
    what fills its placeholders is escaped: a person's name, a category text or a reference typed by
    someone is shown as text, never as markup. (Flask-Babel's own lazy string is inserted whole.)"""

    def __html__(self):
        string, *_rest = self._args
        translated = translations().ugettext(string)
        # Our catalogue's own text is markup; Markup's % escapes each value put into it.
        if not self._kwargs:
            return Markup(translated)  # nosec B704
        return Markup(translated) % self._kwargs  # nosec B704


def lazy_gettext(string: str, **variables) -> Sentence:
    """`_l`: a sentence translated in the reader's language when it is shown (see Sentence)."""
    return Sentence(flask_babel.gettext, string, **variables)
