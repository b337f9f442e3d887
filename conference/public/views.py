"""Views of the public domain."""

from . import bp  # noqa: F401
