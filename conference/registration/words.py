"""How statuses read for people, in their language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS_WORDS = {
    "confirmed": _l("Confirmed"),
    "pending": _l("Pending approval"),
    "waitlisted": _l("On the waiting list"),
    "cancelled": _l("Cancelled"),
    "rejected": _l("Not approved"),
}

SEAT_WORDS = {
    "confirmed": _l("Seat confirmed"),
    "waitlisted": _l("On the waiting list"),
    "cancelled": _l("Cancelled"),
}
