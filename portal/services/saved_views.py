"""Saved views of the queue: a filter set with a name, a person's own or shared with the team.

A view is stored as the query string of the queue (services.queue.QueueView), so opening it is
following a link, and a view made before a filter existed still opens.
"""
from __future__ import annotations

from urllib.parse import urlencode

from sqlalchemy import or_, select

from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..models import SavedView, User
from .audit import audit
from .errors import DomainError
from .queue import QueueView

NAME_MAX = 60
MOST_PER_PERSON = 30


class ViewError(DomainError):
    """A view cannot be saved or removed; `message` says why."""


def views_for(person: User) -> list[SavedView]:
    """This person's views and those shared with the team, by name."""
    return list(db.session.scalars(select(SavedView).where(or_(SavedView.owner_id == person.id, SavedView.shared))
                                   .order_by(SavedView.name, SavedView.id)))


def save(person: User, name: str, wanted: QueueView, shared: bool) -> SavedView:
    name = " ".join((name or "").split())
    if not name:
        raise ViewError(_l("Give the view a name, like “My deliveries”."), "name")
    if len(name) > NAME_MAX:
        raise ViewError(_l("Keep the name under %(n)s characters.", n=NAME_MAX), "name")
    own = db.session.scalars(select(SavedView).where(SavedView.owner_id == person.id)).all()
    same = next((view for view in own if view.name.lower() == name.lower()), None)
    if same is None and len(own) >= MOST_PER_PERSON:
        raise ViewError(_l("You have %(n)s views. Remove one first.", n=MOST_PER_PERSON), "name")
    view = same or SavedView(owner_id=person.id, name=name)
    view.query, view.shared = urlencode(wanted.args()), bool(shared)  # the same name again: updated
    if same is None:
        db.session.add(view)
    db.session.flush()
    if view.shared:
        audit(person, "view_shared", view.name, after={"name": view.name, "query": view.query})
    return view


def remove(person: User, view: SavedView) -> None:
    """Only its owner removes a view (a supervisor may remove a shared one that is in the way)."""
    if view.owner_id != person.id and not (view.shared and person.can("supervisor")):
        raise ViewError(_l("Only %(name)s can remove this view.", name=view.owner.name))
    if view.shared:
        audit(person, "view_removed", view.name, before={"name": view.name, "query": view.query})
    db.session.delete(view)
    db.session.flush()
