"""API: registrations."""

from . import bp  # noqa: F401
