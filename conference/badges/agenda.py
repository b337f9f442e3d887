"""An attendee's own agenda as a PDF: the sessions they booked a seat in, or the whole
programme (with a note saying so) when they booked none."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from .. import models
from ..extensions import db
from ..models import Registration, Session
from ..pdf import print_base_url, print_dates, render_pdf
from ..programme.pdf import programme_days
from ..public.service import programme_sessions

BOOKED = "confirmed"


def booked_sessions(registration: Registration) -> list[Session]:
    """Sessions ``registration`` holds a confirmed seat in, in programme order."""
    booking = getattr(models, "SeatBooking", None)
    if booking is None:  # no seat bookings in this installation
        return []
    chosen = set(db.session.execute(
        db.select(booking.session_id).where(
            booking.registration_id == registration.id, booking.status == BOOKED
        )
    ).scalars())
    return [s for s in programme_sessions(registration.conference) if s.id in chosen]


def personal_agenda_pdf(registration: Registration, lang: str) -> bytes:
    conference = registration.conference
    sessions = booked_sessions(registration)
    whole_programme = not sessions
    if whole_programme:
        sessions = programme_sessions(conference)
    with force_locale(lang):
        html = render_template(
            "pdf/personal_agenda.html",
            conference=conference,
            registration=registration,
            lang=lang,
            dates=print_dates(conference, lang),
            days=programme_days(conference, lang, sessions),
            whole_programme=whole_programme,
        )
    return render_pdf(html, print_base_url())
