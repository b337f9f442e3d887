"""API: checkin."""

from . import bp  # noqa: F401
