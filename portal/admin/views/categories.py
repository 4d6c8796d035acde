"""Categories: what complaints can be about, with what we can and cannot do."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from ...i18n import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from ...access import role_required
from ...extensions import db
from ...models import Category
from ...services import categories as settings
from ...services.errors import DomainError
from .. import bp
from ..forms import CategoryForm
from ._shared import _field_error, _flash_warnings, _text_warnings


@bp.route("/categories")
@role_required("admin")
def categories_page():
    categories = settings.all_categories()
    return render_template("admin/categories.html", categories=categories)


@bp.route("/categories/new", methods=["GET", "POST"], defaults={"slug": None})
@bp.route("/categories/<slug>", methods=["GET", "POST"])
@role_required("admin")
def category_page(slug):
    category = None
    if slug is not None:
        category = db.session.scalar(select(Category).where(Category.slug == slug))
        if category is None:
            abort(404)
    form = CategoryForm(obj=category)
    warnings = []
    if request.method == "GET":
        form.active.data = "no" if category is not None and not category.active else "yes"
    elif form.validate_on_submit():
        values = {name: form[name].data for name in settings.CATEGORY_FIELDS if name != "active"}
        values["active"] = form.active.data != "no"
        warnings = _text_warnings(form, settings.CATEGORY_TEXT_FIELDS)
        try:
            settings.save_category(current_user, category, values)
        except DomainError as error:
            _field_error(form, error, "name_nl")
        else:
            flash(_l("Saved."), "success")
            _flash_warnings(warnings)
            return redirect(url_for("admin.categories_page"))
    return render_template("admin/category.html", form=form, category=category, warnings=warnings), \
        200 if not form.errors else 400
