"""API: catalogue."""

from . import bp  # noqa: F401
