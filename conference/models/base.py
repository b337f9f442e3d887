"""Shared column helpers."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, Text
from sqlalchemy.orm import MappedColumn, mapped_column


def utcnow() -> datetime:
    """Naive UTC now: every timestamp is stored as naive UTC on both databases."""
    return datetime.now(UTC).replace(tzinfo=None)


def long_text(max_length: int) -> MappedColumn:
    """A ``Text`` column for prose: no length in the schema, but at most ``max_length``
    characters are taken in (see ``text_length``)."""
    return mapped_column(Text, info={"max_length": max_length})


def text_length(column: Column) -> int:
    """The most characters ``column`` takes in: a ``String``'s length or a ``long_text``'s."""
    return column.type.length or column.info["max_length"]


def one_of(column: str, values: type[StrEnum]) -> CheckConstraint:
    """A CHECK that ``column`` holds one of ``values``, named ``ck_<table>_<column>``."""
    listed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({listed})", name=column)
