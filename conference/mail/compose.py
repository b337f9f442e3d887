"""Messages to one attendee: text body, manage link, QR code as PNG, sessions as .ics."""

from __future__ import annotations

from datetime import UTC
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, make_msgid
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ..badges.qr import qr_png
from ..badges.tokens import issue_code
from ..models import Conference, Registration, Session
from ..models.base import utcnow
from ..models.question import answer_text
from ..models.registration import may_register_again
from ..programme.ical import personal_ics
from ..templating import local_date
from ..timefmt import to_local
from .address import recipient

# What each kind of message is about; the body is templates/mail/<kind>.txt.
SUBJECTS = {
    "confirmed": _l("Your registration for %(conference)s"),
    "pending": _l("We received your registration for %(conference)s"),
    "waitlisted": _l("You are on the waiting list for %(conference)s"),
    "promoted": _l("A place is yours: %(conference)s"),
    "seat_promoted": _l("A seat is yours: %(conference)s"),
    "approved": _l("Your registration for %(conference)s is approved"),
    "rejected": _l("Your registration for %(conference)s"),
    "cancelled": _l("Your registration for %(conference)s is cancelled"),
    "cancelled_passed_on": _l("Your registration for %(conference)s is cancelled"),
    "manage_link": _l("Your registration link for %(conference)s"),
    "session_moved": _l("A session you hold a seat in has changed: %(conference)s"),
    "session_cancelled": _l("A session you booked is cancelled: %(conference)s"),
    "seat_waitlisted": _l("Your seat moved to the waiting list: %(conference)s"),
}
# Kinds told by the body of another kind: a cancellation whose place or seats went to
# people on the waiting lists says so.
BODY_OF = {"cancelled_passed_on": "cancelled"}
CANCELLATIONS = frozenset({"cancelled", "cancelled_passed_on"})
# Kinds whose message carries the badge QR code and the agenda, when confirmed.
WITH_BADGE = frozenset({"confirmed", "promoted", "seat_promoted", "approved", "manage_link"})
# Messages that repeat the answers to the extra questions, so the attendee can check them.
WITH_ANSWERS = frozenset({"confirmed", "pending", "waitlisted", "approved"})


def sessions_ics(registration: Registration) -> bytes:
    """An iCalendar file with the sessions the attendee holds a seat in, in their language."""
    sessions = [booking.session for booking in registration.seat_bookings
                if booking.status == "confirmed"]
    return personal_ics(
        registration, sessions, lambda session: public_url("public.session", slug=session.slug)
    )


def public_url(endpoint: str, **values) -> str:
    """An absolute link on ``PUBLIC_URL``, never on the Host header of the current request:
    anyone can send a request with any Host, and mail would carry their site's links."""
    base = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http"
    )
    return adapter.build(endpoint, values, force_external=True)


def manage_url(registration: Registration) -> str:
    """The absolute link to the attendee's registration page."""
    return public_url("registration.manage", token=registration.token)


def _starts(session: Session, conference: Conference) -> str:
    """When ``session`` starts, in its conference's time zone and the language in force."""
    local = to_local(session.starts_at, conference.timezone)
    return f"{local_date(local.date())} {local:%H:%M}"


def _session_facts(session: Session | None, conference: Conference) -> dict | None:
    """What a message about a change to ``session`` says of it, as it stands when sent."""
    if session is None:
        return None
    local_end = to_local(session.ends_at, conference.timezone)
    return {"title": session.t("title"), "starts": _starts(session, conference),
            "ends": f"{local_end:%H:%M}", "room": session.room.t("name"),
            "url": public_url("public.session", slug=session.slug)}


def compose(registration: Registration, kind: str, session: Session | None = None
            ) -> EmailMessage:
    """The message of ``kind`` for ``registration``, in the attendee's language (not the
    language of the page whose request queued it, nor English in ``send-mail``): every
    name and date below follows ``force_locale``. ``session``: the session a message about
    a programme change is about."""
    conference = registration.conference
    with force_locale(registration.language):
        conference_name = conference.t("name")
        subject = SUBJECTS[kind] % {"conference": conference_name}
        code = (
            issue_code(registration)
            if registration.status == "confirmed" and kind in WITH_BADGE
            else None
        )
        seats = [
            (
                booking.session.t("title"),
                _starts(booking.session, conference),
                booking.status == "confirmed",
            )
            for booking in registration.seat_bookings
            if booking.status != "cancelled"
        ]
        answers = (
            [
                (answer.question.t("label"), answer_text(answer.question, answer.value))
                for answer in registration.answers
            ]
            if kind in WITH_ANSWERS
            else []
        )
        # Said while it is true: nobody registered again with the address meanwhile.
        register_url = (
            public_url("registration.register", lang=registration.language)
            if kind in CANCELLATIONS and may_register_again(registration)
            else None
        )
        body = render_template(
            f"mail/{BODY_OF.get(kind, kind)}.txt",
            registration=registration,
            passed_on=kind == "cancelled_passed_on",
            register_url=register_url,
            conference_name=conference_name,
            manage_url=manage_url(registration),
            seats=seats,
            answers=answers,
            code=code,
            session=_session_facts(session, conference),
        )
    message = new_message(subject, registration.name, registration.email or "", body)
    if code:
        message.add_attachment(
            qr_png(code), maintype="image", subtype="png", filename="badge-qr.png"
        )
        if any(b.status == "confirmed" for b in registration.seat_bookings):
            message.add_attachment(
                sessions_ics(registration),
                maintype="text",
                subtype="calendar",
                params={"charset": "utf-8", "method": "PUBLISH"},
                filename="my-sessions.ics",
            )
    return message


def new_message(subject: str, name: str, address: str, body: str) -> EmailMessage:
    """A plain-text message from ``MAIL_SENDER`` to ``name <address>``."""
    message = EmailMessage()
    message["Subject"] = subject
    sender = current_app.config["MAIL_SENDER"]
    message["From"] = sender
    to = recipient(address)
    message["To"] = Address(name, to.local_part, to.domain)
    message["Date"] = format_datetime(utcnow().replace(tzinfo=UTC))
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    message.set_content(body)
    return message


class _Policy(EmailPolicy):
    """RFC 5322 with CRLF, as ``email.policy.SMTP``, but a header is never folded right
    after its name.

    Python's folder moves a value that fits on a line of its own, but not after the name,
    to the next line (``Subject:`` CRLF `` Your registration for …``), and parsers, Python's
    own among them, then read the value with a leading space.
    """

    def fold_binary(self, name: str, value: str) -> bytes:
        folded = super().fold_binary(name, value)
        bare_name = f"{name}:{self.linesep}".encode("ascii")
        if folded.startswith(bare_name):
            folded = f"{name}:".encode("ascii") + folded[len(bare_name):]
        return folded


SMTP_POLICY = _Policy(linesep="\r\n")
SMTPUTF8_POLICY = SMTP_POLICY.clone(utf8=True)


def to_bytes(message: EmailMessage, smtputf8: bool) -> bytes:
    """The message as sent; raw UTF-8 in the headers only for a server speaking SMTPUTF8,
    which an address with non-ASCII characters before the @ needs."""
    return message.as_bytes(policy=SMTPUTF8_POLICY if smtputf8 else SMTP_POLICY)
