"""Where to go after logging in: only a path on this site, never another host."""

from __future__ import annotations

from urllib.parse import urlsplit

MAX_NEXT_LENGTH = 2000


def safe_next_path(value: str | None) -> str | None:
    """``value`` when it is a relative path on this site (``/checkin?x=1``), else None.

    Refuses absolute URLs, scheme-relative ``//host`` and ``/\\host`` forms, and control
    characters (browsers drop tabs and newlines, turning ``/\\t/host`` into ``//host``).
    """
    if not value or len(value) > MAX_NEXT_LENGTH:
        return None
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value) or "\\" in value:
        return None
    if not value.startswith("/") or value.startswith("//"):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    return value
