"""What complaints can be about: categories, their texts for customers, and the admin's changes."""
from __future__ import annotations

import re

from ..i18n import lazy_gettext as _l
from sqlalchemy import func, select

from ..extensions import db
from ..models import Category, User
from .audit import audit, snapshot
from .errors import SettingError, refuse
from .plain_language import refuse_hedges, website_problem

CATEGORY_TEXT_FIELDS = ("name_nl", "name_en", "hint_nl", "hint_en", "can_do_nl", "can_do_en", "cannot_do_nl",
                        "cannot_do_en", "disagree_nl", "disagree_en")
CATEGORY_FIELDS = (*CATEGORY_TEXT_FIELDS, "disagree_url", "active")


def active_categories() -> list[Category]:
    """The categories a customer (or a colleague filing for one) chooses from, in the admin's order."""
    return db.session.scalars(
        select(Category).where(Category.active.is_(True)).order_by(Category.position, Category.id)).all()


def all_categories() -> list[Category]:
    return db.session.scalars(select(Category).order_by(Category.position, Category.id)).all()


def save_category(admin: User, category: Category | None, values: dict) -> Category:
    """Create or change a category. Names are unique in each language; archived ones keep their complaints.

    What we can and cannot do, and where to go next, are promises to customers: hedge words stop it.
    """
    problem = website_problem(values.get("disagree_url"))
    refuse([("disagree_url", problem)] if problem else [], SettingError)
    refuse_hedges(values, CATEGORY_TEXT_FIELDS, SettingError)
    for name in ("name_nl", "name_en"):
        clash = db.session.scalar(select(Category).where(func.lower(getattr(Category, name)) == values[name].lower()))
        if clash is not None and clash is not category:
            raise SettingError(_l("There is already a category with this name."), name)
    before = snapshot(category, CATEGORY_FIELDS) if category else None
    if category is None:
        slug = _free_slug(values["name_en"] or values["name_nl"])
        position = (db.session.scalar(select(func.max(Category.position))) or 0) + 1
        category = Category(slug=slug, position=position)
        db.session.add(category)
    for name in CATEGORY_FIELDS:
        if name in values:
            setattr(category, name, values[name])
    audit(admin, "category_saved", category.slug, before=before, after=snapshot(category, CATEGORY_FIELDS))
    db.session.flush()
    return category


def _free_slug(name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "category"
    slug, number = base, 1
    while db.session.scalar(select(Category.id).where(Category.slug == slug)) is not None:
        number += 1
        slug = f"{base}-{number}"
    return slug
