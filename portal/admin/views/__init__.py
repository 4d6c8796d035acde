"""Admin pages, one module per subject. Only admins reach them (the role check is on every route);
improvements are for supervisors too."""
from __future__ import annotations

from flask import render_template

from ...access import role_required
from ...models import utcnow
from ...services.organisation import get_calendar
from ...services.setup_overview import CLOSING_DAYS_AHEAD, setup_overview
from .. import bp
from . import (audit, categories, erasure, improvements, insight, integrations, organisation, people,  # noqa: F401
               replies, timelines)


@bp.route("/")
@role_required("admin")
def home():
    today = get_calendar().local_date(utcnow())
    return render_template("admin/home.html", overview=setup_overview(today), days_ahead=CLOSING_DAYS_AHEAD)
