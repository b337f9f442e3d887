"""Views of the registration domain."""

from . import bp  # noqa: F401
