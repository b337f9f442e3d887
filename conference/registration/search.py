"""Finding registrations by what staff type: part of a name, an e-mail address or an
organisation, whatever its case. ``%`` and ``_`` are letters here, never wildcards."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_
from sqlalchemy.orm import InstrumentedAttribute

MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 100


def search_text(raw: str | None) -> str:
    """The search as typed, runs of spaces folded, trimmed; '' when too short to search
    with."""
    text = " ".join((raw or "").split())[:MAX_QUERY_LENGTH]
    return text if len(text) >= MIN_QUERY_LENGTH else ""


def containing(text: str, *columns: InstrumentedAttribute[str | None]) -> ColumnElement[bool]:
    """Any of ``columns`` contains ``text``, whatever its case, character for character."""
    return or_(*(column.icontains(text, autoescape=True) for column in columns))
