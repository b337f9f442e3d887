"""The public domain."""

from flask import Blueprint

bp = Blueprint("public", __name__)
