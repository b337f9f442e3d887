"""Messages to one attendee: text body, manage link, QR code as PNG, sessions as .ics."""

from __future__ import annotations

import io
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

import qrcode
from flask import current_app, render_template, url_for
from flask_babel import force_locale, gettext
from icalendar import Calendar, Event

from ..badges.tokens import issue_code
from ..models import Registration
from ..registration.questions import answer_text

# What each kind of message is about; the body is templates/mail/<kind>.txt.
SUBJECTS = {
    "confirmed": "Your registration for %(conference)s",
    "pending": "We received your registration for %(conference)s",
    "waitlisted": "You are on the waiting list for %(conference)s",
    "promoted": "A place is yours: %(conference)s",
    "seat_promoted": "A seat is yours: %(conference)s",
    "approved": "Your registration for %(conference)s is approved",
    "rejected": "Your registration for %(conference)s",
    "cancelled": "Your registration for %(conference)s is cancelled",
    "manage_link": "Your registration link for %(conference)s",
}
# Kinds whose message carries the badge QR code and the agenda, when confirmed.
WITH_BADGE = frozenset({"confirmed", "promoted", "seat_promoted", "approved", "manage_link"})
# Messages that repeat the answers to the extra questions, so the attendee can check them.
WITH_ANSWERS = frozenset({"confirmed", "pending", "waitlisted", "approved"})


def qr_png(text: str) -> bytes:
    """A PNG of the QR code for ``text``, large enough to scan from a phone screen."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    qr.add_data(text)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def sessions_ics(registration: Registration) -> bytes:
    """An iCalendar file with the sessions the attendee holds a seat in."""
    calendar = Calendar()
    calendar.add("prodid", "-//conference//registration//EN")
    calendar.add("version", "2.0")
    for booking in registration.seat_bookings:
        if booking.status != "confirmed":
            continue
        session = booking.session
        event = Event()
        event.add("uid", f"{registration.public_id}-{session.slug}@{registration.conference.slug}")
        event.add("summary", session.t("title") or session.slug)
        event.add("dtstart", session.starts_at.replace(tzinfo=_utc()))
        event.add("dtend", session.ends_at.replace(tzinfo=_utc()))
        event.add("dtstamp", registration.created_at.replace(tzinfo=_utc()))
        if session.room is not None:
            event.add("location", session.room.t("name") or session.room.slug)
        calendar.add_component(event)
    return calendar.to_ical()


def _utc():
    from datetime import UTC

    return UTC


def manage_url(registration: Registration) -> str:
    """The absolute manage link; outside a request it needs SERVER_NAME or PUBLIC_URL."""
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return f"{base.rstrip('/')}/registration/{registration.token}"
    try:
        return url_for("registration.manage", token=registration.token, _external=True)
    except RuntimeError:
        return f"http://localhost/registration/{registration.token}"


def compose(registration: Registration, kind: str) -> EmailMessage:
    """The message of ``kind`` for ``registration``, in the attendee's language."""
    with force_locale(registration.language):
        conference_name = registration.conference.t("name")
        subject = gettext(SUBJECTS[kind], conference=conference_name)
        code = (
            issue_code(registration)
            if registration.status == "confirmed" and kind in WITH_BADGE
            else None
        )
        seats = [b for b in registration.seat_bookings if b.status != "cancelled"]
        answers = (
            [
                (answer.question.t("label"), answer_text(answer.question, answer.value))
                for answer in registration.answers
            ]
            if kind in WITH_ANSWERS
            else []
        )
        body = render_template(
            f"mail/{kind}.txt",
            registration=registration,
            conference_name=conference_name,
            manage_url=manage_url(registration),
            seats=seats,
            answers=answers,
            code=code,
        )
    message = EmailMessage()
    message["Subject"] = subject
    sender = current_app.config.get("MAIL_SENDER") or "registration@localhost"
    message["From"] = sender
    message["To"] = formataddr((registration.name, registration.email or ""))
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    message.set_content(body)
    if code:
        message.add_attachment(
            qr_png(code), maintype="image", subtype="png", filename="badge-qr.png"
        )
        if any(b.status == "confirmed" for b in registration.seat_bookings):
            message.add_attachment(
                sessions_ics(registration),
                maintype="text",
                subtype="calendar",
                filename="my-sessions.ics",
            )
    return message
