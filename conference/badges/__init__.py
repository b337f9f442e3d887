"""The badges domain."""

from flask import Blueprint

bp = Blueprint("badges", __name__)

from . import views  # noqa: F401
