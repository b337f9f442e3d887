"""The back of a badge, for duplex printing: the attendee's sessions and the venue Wi-Fi.

The sessions are those the attendee holds a confirmed seat in; an attendee who booked
none gets the conference's keynotes instead (everyone may attend those), under a heading
that says so. The list is cut to what the card has room for, with "and N more".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from babel.dates import format_skeleton
from flask_babel import force_locale, gettext

from ..extensions import db
from ..models import Registration, SeatBooking, Session
from ..pdf import BABEL_LOCALES
from ..timefmt import to_local
from .layouts import BadgeLayout

BOOKED = "confirmed"
KEYNOTE_KINDS = ("keynote",)
MOST_ITEMS = 12
LINE = 1.35  # line height of the back's text, in font sizes


@dataclass(frozen=True)
class BadgeBack:
    slot: int  # behind the front's slot when the sheet is printed long-edge duplex
    name: str
    conference_name: str
    heading: str
    items: list[tuple[str, str, str]]  # (time, title, room)
    more: str  # "and 3 more" when the card has no room for every session
    wifi_label: str
    wifi_network: str
    password_label: str
    wifi_password: str


@dataclass(frozen=True)
class BackGeometry:
    """Sizes (mm) of the back of one card."""

    pad: float
    text: float  # font size of the session list and the Wi-Fi box
    small: float  # font size of the name line and the list heading
    list_top: float
    items: int  # session lines the card has room for


def back_geometry(layout: BadgeLayout) -> BackGeometry:
    height, width = layout.card_height, layout.card_width
    pad = round(max(3.0, 0.06 * min(width, height)), 2)
    text = round(min(max(height * 0.024, 2.4), 3.4), 2)
    small = round(text * 0.85, 2)
    list_top = round(pad + 2 * small * 1.3 + 1.2, 2)
    wifi = 2 * text * LINE + 2.2
    room = height - list_top - pad - wifi - 1.5 - (small * LINE + 0.8)  # minus the heading
    return BackGeometry(pad, text, small, list_top, max(0, min(MOST_ITEMS, math.floor(
        room / (text * LINE)))))


def _booked(registrations: Sequence[Registration]) -> dict[int, list[Session]]:
    """Registration id → sessions it holds a confirmed seat in, in time order (one query)."""
    ids = [registration.id for registration in registrations]
    found: dict[int, list[Session]] = {}
    if not ids:
        return found
    rows = db.session.execute(
        db.select(SeatBooking.registration_id, Session)
        .join(Session, Session.id == SeatBooking.session_id)
        .where(SeatBooking.registration_id.in_(ids), SeatBooking.status == BOOKED)
        .order_by(Session.starts_at, Session.id)
    ).all()
    for registration_id, session in rows:
        found.setdefault(registration_id, []).append(session)
    return found


def _keynotes(conference) -> list[Session]:
    return list(db.session.execute(
        db.select(Session)
        .where(Session.conference_id == conference.id, Session.kind.in_(KEYNOTE_KINDS))
        .order_by(Session.starts_at, Session.id)
    ).scalars())


def badge_backs(registrations: Sequence[Registration], lang: str,
                layout: BadgeLayout) -> list[BadgeBack]:
    """The backs of ``registrations``' badges, in the same order as their fronts."""
    geometry = back_geometry(layout)
    booked = _booked(registrations)
    keynotes: dict[int, list[Session]] = {}
    backs = []
    with force_locale(lang):
        mine, highlights = gettext("My sessions"), gettext("Keynotes")
        wifi_label, password_label = gettext("Wi-Fi"), gettext("Password")
        for slot, registration in enumerate(registrations):
            conference = registration.conference
            sessions = booked.get(registration.id)
            heading = mine
            if not sessions:
                if conference.id not in keynotes:
                    keynotes[conference.id] = _keynotes(conference)
                sessions, heading = keynotes[conference.id], highlights
            several_days = conference.starts_on != conference.ends_on
            shown = sessions[: geometry.items]
            if len(sessions) > len(shown) and shown:
                shown = shown[:-1]  # the last line says how many more there are
            left = len(sessions) - len(shown)
            backs.append(BadgeBack(
                slot=layout.back_slot(slot),
                name=registration.name,
                conference_name=conference.t("name", lang),
                heading=heading,
                items=[_item(session, conference.timezone, lang, several_days)
                       for session in shown],
                more=gettext("and %(count)d more", count=left) if left else "",
                wifi_label=wifi_label,
                wifi_network=conference.wifi_network or "",
                password_label=password_label,
                wifi_password=conference.wifi_password or "",
            ))
    return backs


def _item(session: Session, tz: str, lang: str, several_days: bool) -> tuple[str, str, str]:
    starts = to_local(session.starts_at, tz)
    when = f"{starts:%H:%M}"
    if several_days:
        when = f"{format_skeleton('MMMd', starts, locale=BABEL_LOCALES[lang])} {when}"
    return when, session.t("title", lang), session.room.t("name", lang)
