"""The public domain."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from . import views  # noqa: F401
