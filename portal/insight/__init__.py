"""The management view: what the complaints teach us (services/insight.py), for managers,
supervisors and admins. Never a customer's name, address or number on these pages."""
from flask import Blueprint

bp = Blueprint("insight", __name__, url_prefix="/insight")

from . import views  # noqa: E402,F401  (the routes register themselves on bp)
