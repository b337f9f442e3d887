"""JSON API v1: errors are ``application/problem+json``."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
