"""The badges domain."""

from flask import Blueprint

bp = Blueprint("badges", __name__)

from . import views  # noqa: E402,F401
