"""The programme domain."""

from flask import Blueprint

bp = Blueprint("programme", __name__)

from . import export_views, views  # noqa: F401
