"""The checkin domain."""

from flask import Blueprint

bp = Blueprint("checkin", __name__)

from . import revocations, views  # noqa: F401  (revocations: before_flush hook)
