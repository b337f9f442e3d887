"""Views of the checkin domain."""

from . import bp  # noqa: F401
