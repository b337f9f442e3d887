"""Programme exports over HTTP: ``/agenda.ics``, ``/schedule.xml``, ``/schedule.json``."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, request
from flask_babel import gettext

from ..current import current_conference
from ..i18n import LANGUAGES, current_language
from ..models import Session, Speaker
from ..public.service import UnknownSessions, programme_sessions
from . import bp, exports, ical
from .responses import published

# Public data that calendar and schedule apps (also in-browser ones) fetch and poll.
OPEN_TO_ALL_ORIGINS = {"Access-Control-Allow-Origin": "*"}


def _absolute(path: str) -> str:
    """Absolute address of a public page (see the stable URLs in the design)."""
    return request.url_root + path


def _session_url(session: Session) -> str:
    return _absolute(f"sessions/{quote(session.slug)}")


def _speaker_url(speaker: Speaker) -> str:
    return _absolute(f"speakers/{quote(speaker.slug)}")


def _schedule_language() -> str:
    """Machine formats are English unless ``?lang=`` asks otherwise."""
    asked = request.args.get("lang")
    return asked if asked in LANGUAGES else "en"


def _links() -> exports.ScheduleLinks:
    return exports.ScheduleLinks(home=request.url_root, session=_session_url,
                                 speaker=_speaker_url)


@bp.get("/agenda.ics")
def agenda_ics():
    conference = current_conference()
    slugs = request.args.getlist("session")
    try:
        sessions = programme_sessions(conference, slugs=slugs or None)
    except UnknownSessions as exc:
        abort(404, description=gettext("No such session: %(slugs)s", slugs=", ".join(exc.slugs)))
    body = ical.agenda_ics(conference, sessions, current_language(), _session_url)
    filename = f"{conference.slug}.ics"
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers.update(OPEN_TO_ALL_ORIGINS)
    return response


def _schedule(render, content_type: str):
    conference = current_conference()
    body = render(conference, programme_sessions(conference), _schedule_language(), _links())
    return published(body, content_type, headers=OPEN_TO_ALL_ORIGINS)


@bp.get("/schedule.xml")
def schedule_xml():
    return _schedule(exports.schedule_xml, "application/xml; charset=utf-8")


@bp.get("/schedule.json")
def schedule_json():
    return _schedule(exports.schedule_json, "application/json")
