"""The customer rights charter as data and rules. Imports nothing from Flask."""
from .lint import Finding, error_message_problems, lint
from .readability import readability
from .rights import RIGHTS, Right, right

__all__ = ["RIGHTS", "Right", "right", "lint", "Finding", "error_message_problems", "readability"]
