"""The public side: what customers see, with no account."""
from flask import Blueprint

bp = Blueprint("public", __name__)

from . import views  # noqa: E402,F401  (the routes register themselves on bp)
