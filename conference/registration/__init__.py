"""The registration domain."""

from flask import Blueprint

bp = Blueprint("registration", __name__)

from . import views  # noqa: F401
