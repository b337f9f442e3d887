"""The checkin domain."""

from flask import Blueprint

bp = Blueprint("checkin", __name__)

from . import revocations  # noqa: F401  (its before_flush hook records revoked badges)
