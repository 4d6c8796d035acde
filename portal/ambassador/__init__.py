"""The ambassador app: any colleague passes on what a customer told them (services/ambassador.py)."""
from flask import Blueprint

bp = Blueprint("ambassador", __name__, url_prefix="/ambassador")

from . import views  # noqa: E402,F401  (the routes register themselves on bp)
