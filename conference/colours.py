"""Colours of tracks and attendee categories.

A colour is a plain ``#rrggbb`` value: the one form the programme importer accepts, and
the one that is safe to write into a style attribute or a stylesheet. Anything else
stored in a colour column (an old row, a hand-edited database) is treated as no colour.
"""

from __future__ import annotations

import re

HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def is_colour(value: object) -> bool:
    """Whether ``value`` is a ``#rrggbb`` colour."""
    return isinstance(value, str) and HEX_COLOUR.fullmatch(value) is not None


def safe_colour(colour: str | None, default: str | None = None) -> str | None:
    """``colour`` if it is a ``#rrggbb`` value, fit to go into a style attribute; else
    ``default``."""
    return colour if is_colour(colour) else default
