"""Views of the programme domain."""

from . import bp  # noqa: F401
