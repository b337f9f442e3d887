"""Views of the admin domain."""

from . import bp  # noqa: F401
