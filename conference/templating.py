"""Template filters and globals shared by pages and print templates."""

from __future__ import annotations

from datetime import datetime

from .colours import safe_colour
from .current import current_conference
from .i18n import current_language
from .timefmt import to_local


def local_time(value: datetime | None, fmt: str = "%H:%M") -> str:
    """Format a stored UTC time in the current conference's time zone."""
    if value is None:
        return ""
    conference = current_conference(required=False)
    tz = conference.timezone if conference else "UTC"
    return to_local(value, tz).strftime(fmt)


def local_date(value, lang: str | None = None) -> str:
    """A date as people write it: 2024年9月19日 or 19 September 2024."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        conference = current_conference(required=False)
        value = to_local(value, conference.timezone if conference else "UTC").date()
    if (lang or current_language()) == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {value:%B %Y}"


def init_app(app) -> None:
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(local_date, "local_date")
    app.jinja_env.globals["safe_colour"] = safe_colour
    app.jinja_env.globals["current_conference"] = lambda: current_conference(required=False)
