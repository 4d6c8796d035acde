"""Admin pages, one module per subject. Only admins reach them (the role check is on every route);
improvements are for supervisors too."""
from __future__ import annotations

from flask import redirect, url_for

from ...access import role_required
from .. import bp
from . import (audit, categories, erasure, improvements, insight, integrations, organisation, people,  # noqa: F401
               timelines)


@bp.route("/")
@role_required("admin")
def home():
    return redirect(url_for("admin.timelines_page"))
