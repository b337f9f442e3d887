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


def edit_version() -> MappedColumn:
    """The ``version`` of a row organisers edit: every save raises it, and an UPDATE only
    touches the row still at the version the editor read (SQLAlchemy's ``version_id_col``
    without a generator), so of two saves of one form the later is refused as stale,
    never written over the first. Declare ``__mapper_args__ = versioned(version)``."""
    return mapped_column(default=1, server_default="1")


def versioned(column) -> dict:
    return {"version_id_col": column, "version_id_generator": False}
