"""Views of the badges domain."""

from . import bp  # noqa: F401
