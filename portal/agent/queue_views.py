"""Working the queue at speed: bulk actions on ticked rows, saved views, and the keyboard shortcuts switch.
Each view checks, calls one service and redirects back to the queue view it came from."""
from __future__ import annotations

from urllib.parse import parse_qsl

from flask import flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user

from ..access import role_required
from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..models import SavedView, User
from ..services import bulk, people, saved_views
from ..services.errors import DomainError
from ..services.queue import QueueView
from . import bp
from .forms import BulkForm, SavedViewForm, ShortcutsForm

BULK_DONE = {
    "claim": lambda n: ngettext("%(num)s claimed", "%(num)s claimed", n),
    "hand_over": lambda n: ngettext("%(num)s handed over", "%(num)s handed over", n),
    "classify": lambda n: ngettext("%(num)s classified", "%(num)s classified", n),
}


def _back_to_queue():
    return redirect(url_for("agent.queue_page", **QueueView.from_args(request.args).args()))


@bp.route("/complaints/bulk", methods=["POST"])
@role_required("agent")
def bulk_action():
    form = BulkForm()
    if not form.validate_on_submit():
        flash(_l("This form was open too long. Tick the complaints again."), "error")
        return _back_to_queue()
    ids = [int(value) for value in request.form.getlist("ids") if value.isdigit() and len(value) < 10]
    wanted = (form.to.data or "").strip()
    colleague = db.session.get(User, int(wanted)) if wanted.isdigit() and len(wanted) < 10 else None
    try:
        result = bulk.apply(form.action.data, ids, current_user, to=colleague, note=form.note.data or "",
                            handled_as=form.handled_as.data or "", root_cause=form.root_cause.data or "")
    except DomainError as error:
        flash(error.message, "error")
        return _back_to_queue()
    # One summary: "12 handed over, 1 not", then each one not done with its reason.
    done = BULK_DONE[result.action](len(result.done))
    if result.not_done:
        flash(_l("%(done)s, %(num)s not:", done=done, num=len(result.not_done)), "error")
        for reference, why in result.not_done:
            flash(_l("%(ref)s: %(why)s", ref=reference, why=why), "error")
    else:
        flash(_l("%(done)s.", done=done), "success")
    return _back_to_queue()


@bp.route("/views", methods=["POST"])
@role_required("agent")
def save_view():
    form = SavedViewForm()
    wanted = QueueView.from_args(request.args)
    if form.validate_on_submit():
        try:
            view = saved_views.save(current_user, form.name.data, wanted, form.shared.data == "yes")
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_l("The view “%(name)s” is saved. The team sees it too.", name=view.name) if view.shared
                  else _l("The view “%(name)s” is saved. Only you see it.", name=view.name), "success")
    else:
        flash(_l("This form was open too long. Save the view again."), "error")
    return redirect(url_for("agent.queue_page", **wanted.args()))


@bp.route("/views/<int:view_id>/remove", methods=["POST"])
@role_required("agent")
def remove_view(view_id):
    view = db.get_or_404(SavedView, view_id)
    name = view.name
    try:
        saved_views.remove(current_user, view)
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(_l("The view “%(name)s” is removed.", name=name), "success")
    return redirect(url_for("agent.queue_page"))


def view_args(view: SavedView) -> dict:
    """A saved view's link arguments (its stored query string, read as the queue reads it)."""
    return QueueView.from_args(dict(parse_qsl(view.query))).args()


@bp.route("/shortcuts", methods=["GET", "POST"])
@role_required("agent")
def shortcuts():
    """The keyboard shortcuts listed, and the switch to turn them off (WCAG 2.1.4: single-key shortcuts
    can be turned off)."""
    form = ShortcutsForm()
    if request.method == "GET":
        form.shortcuts.data = "off" if current_user.shortcuts_off else "on"
    elif form.validate_on_submit():
        people.set_shortcuts(current_user, on=form.shortcuts.data == "on")
        flash(_l("Keyboard shortcuts are on.") if form.shortcuts.data == "on"
              else _l("Keyboard shortcuts are off. Every key types as usual."), "success")
        return redirect(url_for("agent.shortcuts"))
    return render_template("agent/shortcuts.html", form=form), 400 if form.errors else 200
