"""Views of the auth domain."""

from . import bp  # noqa: F401
