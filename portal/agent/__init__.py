"""The agents' side: the queue, one complaint from start to end, and the mandate screen."""
from flask import Blueprint

bp = Blueprint("agent", __name__, url_prefix="/agent")

from . import queue_views, sign_in_views, views  # noqa: E402,F401  (the routes register themselves on bp)
