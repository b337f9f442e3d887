"""Times are stored as naive UTC and shown in the conference's own time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def to_local(value: datetime, tz_name: str) -> datetime:
    """Naive UTC → aware local time in ``tz_name``."""
    return value.replace(tzinfo=UTC).astimezone(ZoneInfo(tz_name))


def to_utc(local_naive: datetime, tz_name: str) -> datetime:
    """Naive local wall time in ``tz_name`` → naive UTC."""
    aware = local_naive.replace(tzinfo=ZoneInfo(tz_name))
    return aware.astimezone(UTC).replace(tzinfo=None)
