"""The admin audit: what changed, by whom, when."""
from __future__ import annotations

from flask import render_template
from sqlalchemy import select

from ...access import role_required
from ...extensions import db
from ...models import AuditEvent
from .. import bp


@bp.route("/audit")
@role_required("admin")
def audit_page():
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(200)).all()
    return render_template("admin/audit.html", events=events)
