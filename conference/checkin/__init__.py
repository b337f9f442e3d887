"""The checkin domain."""

from flask import Blueprint

bp = Blueprint("checkin", __name__)

from . import views  # noqa: F401
