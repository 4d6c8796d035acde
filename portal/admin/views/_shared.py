"""What the admin pages share: a refused change shown at its fields, and plain-language warnings."""
from __future__ import annotations

from flask import flash, render_template, request
from ...i18n import lazy_gettext as _l

from ...services.errors import DomainError
from ...services.plain_language import finding_message, text_findings


def _field_error(form, error: DomainError, fallback: str):
    for name, message in error.problems:
        field = getattr(form, name or "", None) or getattr(form, fallback)
        field.errors = list(field.errors) + [message]


def _text_warnings(form, fields) -> list:
    """Jargon and long sentences in the texts of this form: they warn, they do not stop the saving."""
    values = {name: form[name].data for name in fields}
    return [(form[name].label.text, finding_message(finding))
            for name, finding in text_findings(values, fields) if finding.severity != "error"]


def _flash_warnings(warnings) -> None:
    for label, message in warnings:
        flash(_l("%(field)s: %(message)s", field=label, message=message), "info")


def _confirmed() -> bool:
    """A removal's second step: the confirmation page sent its form (confirm=yes)."""
    return request.form.get("confirm") == "yes"


def _ask_first(question, consequence, yes, back: str):
    """The page that asks before something is removed; its button sends the same form again, confirmed."""
    return render_template("admin/confirm.html", question=question, consequence=consequence, yes=yes, back=back)
