"""Stored images (speaker photos, exhibitor logos) at their content-named addresses."""

from __future__ import annotations

from flask import abort, send_file

from ..uploads import stored_path
from . import bp

YEAR = 365 * 24 * 3600


@bp.get("/uploads/<name>")
def upload(name: str):
    """A stored image: its name is its content's digest, so it may be kept for a year."""
    path = stored_path(name)
    if path is None:
        abort(404)
    response = send_file(path, max_age=YEAR, conditional=True)
    response.cache_control.public = True
    response.cache_control.immutable = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
