"""Reply templates: admins and supervisors write what agents start a reply from (services/reply_templates.py)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ...access import role_required
from ...extensions import db
from ...forms import choices
from ...i18n import lazy_gettext as _l
from ...models import Category, ReplyTemplate
from ...services import reply_templates as settings
from ...services.errors import DomainError
from ...formatting import localized
from ...wording.staff import PLACEHOLDER_WORDS, TEMPLATE_SCOPE_WORDS
from .. import bp
from ..forms import ReplyTemplateForm
from ._shared import _ask_first, _confirmed, _field_error, _flash_warnings


def _scope_choices() -> list[tuple[str, str]]:
    categories = db.session.scalars(select(Category).where(Category.active).order_by(Category.position)).all()
    return ([(value, str(words)) for value, words in TEMPLATE_SCOPE_WORDS.items()]
            + [(f"category:{c.id}", str(_l("Complaints about: %(name)s", name=localized(c, "name"))))
               for c in categories])


@bp.route("/replies")
@role_required("supervisor")
def replies_page():
    scopes = dict(_scope_choices())
    return render_template("admin/replies.html", templates=settings.all_templates(),
                           scope_of=lambda t: scopes.get(settings.Scope(t.kind, t.category_id).value, ""))


@bp.route("/replies/new", methods=["GET", "POST"], defaults={"template_id": None})
@bp.route("/replies/<int:template_id>", methods=["GET", "POST"])
@role_required("supervisor")
def reply_template_page(template_id):
    template = db.get_or_404(ReplyTemplate, template_id) if template_id else None
    form = ReplyTemplateForm()
    form.scope.choices = choices(_scope_choices())
    if request.method == "GET":
        if template is not None:
            form.title.data, form.language.data, form.body.data = template.title, template.language, \
                template.body.rstrip()
            form.scope.data = settings.Scope(template.kind, template.category_id).value
        else:
            form.language.data = request.args.get("language") if request.args.get("language") in ("nl", "en") \
                else "nl"
    elif form.validate_on_submit():
        values = {name: form[name].data for name in ("title", "language", "scope", "body")}
        try:
            saved = settings.save(current_user, template, values)
        except DomainError as error:
            _field_error(form, error, "body")
        else:
            flash(_l("The template “%(title)s” is saved. Agents can use it now.", title=saved.title), "success")
            _flash_warnings([(form.body.label.text, message) for message in settings.warnings(values)])
            return redirect(url_for("admin.replies_page"))
    return render_template("admin/reply_template.html", form=form, template=template,
                           placeholders=PLACEHOLDER_WORDS), 400 if form.errors else 200


@bp.route("/replies/<int:template_id>/remove", methods=["POST"])
@role_required("supervisor")
def remove_reply_template(template_id):
    template = db.get_or_404(ReplyTemplate, template_id)
    back = url_for("admin.reply_template_page", template_id=template.id)
    if not _confirmed():
        return _ask_first(_l("Remove the template “%(title)s”?", title=template.title),
                          _l("Agents no longer see it. Replies sent with it stay as they were."),
                          _l("Yes, remove it"), back)
    title = template.title
    settings.remove(current_user, template)
    flash(_l("The template “%(title)s” is removed.", title=title), "success")
    return redirect(url_for("admin.replies_page"))
