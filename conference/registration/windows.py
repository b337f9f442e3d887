"""Registration windows: when a category can be chosen online.

``opens_at`` and ``closes_at`` are naive UTC (either may be missing); ``now`` is passed in
so callers and tests decide the moment.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext

from ..models import AttendeeCategory, Conference
from ..templating import local_date
from ..timefmt import to_local

OPEN, NOT_YET, CLOSED = "open", "not_yet", "closed"


def window_state(category: AttendeeCategory, now: datetime) -> str:
    """``open``, ``not_yet`` (before ``opens_at``) or ``closed`` (from ``closes_at`` on)."""
    if category.opens_at is not None and now < category.opens_at:
        return NOT_YET
    if category.closes_at is not None and now >= category.closes_at:
        return CLOSED
    return OPEN


def local_moment(value: datetime, conference: Conference, lang: str | None = None) -> str:
    """A stored UTC time as the conference's people read it: 2024年6月1日 09:00."""
    local = to_local(value, conference.timezone)
    return f"{local_date(local.date(), lang)} {local:%H:%M}"


def refusal(category: AttendeeCategory, now: datetime) -> str | None:
    """Why ``category`` cannot be chosen at ``now``, or None when it is open."""
    state = window_state(category, now)
    if state == NOT_YET:
        return gettext(
            "Registration for “%(category)s” opens on %(when)s.",
            category=category.t("name"),
            when=local_moment(category.opens_at, category.conference),
        )
    if state == CLOSED:
        return gettext("Registration for “%(category)s” has closed.", category=category.t("name"))
    return None
