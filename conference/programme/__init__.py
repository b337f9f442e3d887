"""The programme domain."""

from flask import Blueprint

bp = Blueprint("programme", __name__)
