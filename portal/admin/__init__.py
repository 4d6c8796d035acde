"""The admins' side: promise-timelines, and what changed when (the audit)."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import views  # noqa: E402,F401  (the routes register themselves on bp)
