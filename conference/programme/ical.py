"""Sessions as iCalendar (RFC 5545) files, one event per session, times in UTC.

Two calendars are built here: the published programme (``/agenda.ics``, which calendar
apps subscribe to) and the sessions an attendee holds a seat in (attached to their
confirmation e-mail and offered on their registration page). Their events carry the same
title, description, place, track and link; only the UIDs differ, so an attendee who
imports their own file beside a subscription to the programme keeps both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from flask_babel import force_locale, gettext
from icalendar import Calendar, Event

from ..models import Conference, Registration, Session
from .exports import speaker_line


def _calendar(conference: Conference, lang: str, product: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//{conference.slug}//{product}//{lang.upper()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    return calendar


def session_event(conference: Conference, session: Session, lang: str, uid: str,
                  stamp: datetime, url: str) -> Event:
    """The event of ``session`` in ``lang`` (room, track and speakers loaded or loadable)."""
    with force_locale(lang):
        speakers_label = gettext("Speakers")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", session.starts_at.replace(tzinfo=UTC))
    event.add("dtend", session.ends_at.replace(tzinfo=UTC))
    event.add("summary", session.t("title", lang))
    description = [session.t("abstract", lang)]
    if session.speakers:
        lines = "\n".join(speaker_line(speaker, lang) for speaker in session.speakers)
        description.append(f"{speakers_label}:\n{lines}")
    if text := "\n\n".join(part for part in description if part):
        event.add("description", text)
    place = (session.room.t("name", lang), session.room.t("location", lang),
             conference.t("venue", lang))
    event.add("location", ", ".join(part for part in place if part))
    if session.track is not None:
        event.add("categories", [session.track.t("name", lang)])
    event.add("url", url)
    # Each edit raises the version: calendar apps replace the event they hold.
    event.add("sequence", max(session.version - 1, 0))
    if session.cancelled:
        event.add("status", "CANCELLED")
    return event


def _with_events(calendar: Calendar, conference: Conference, sessions: Sequence[Session],
                 lang: str, stamp: datetime, url_for_session: Callable[[Session], str],
                 uid_prefix: str = "") -> bytes:
    for session in sessions:
        uid = f"{uid_prefix}{session.slug}@{conference.slug}"
        calendar.add_component(
            session_event(conference, session, lang, uid, stamp, url_for_session(session))
        )
    return calendar.to_ical()


def agenda_ics(
    conference: Conference,
    sessions: Sequence[Session],
    lang: str,
    url_for_session: Callable[[Session], str],
) -> bytes:
    """The published programme: ``sessions`` (from ``programme_sessions``) as a calendar
    that apps subscribe to and refresh hourly; ``url_for_session`` returns the absolute
    address of a session's page."""
    calendar = _calendar(conference, lang, "Conference programme")
    calendar.add("x-wr-calname", conference.t("name", lang))
    calendar.add("x-wr-timezone", conference.timezone)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    stamp = datetime.now(UTC).replace(microsecond=0)
    return _with_events(calendar, conference, sessions, lang, stamp, url_for_session)


def personal_ics(
    registration: Registration,
    sessions: Sequence[Session],
    url_for_session: Callable[[Session], str],
) -> bytes:
    """The ``sessions`` an attendee holds a seat in, in the attendee's language."""
    conference = registration.conference
    lang = registration.language
    calendar = _calendar(conference, lang, "Registration")
    stamp = registration.created_at.replace(tzinfo=UTC)
    return _with_events(calendar, conference, sessions, lang, stamp, url_for_session,
                        uid_prefix=f"{registration.public_id}-")
