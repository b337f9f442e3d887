"""The catalogue: ``GET /api/v1/sessions``, ``/speakers`` and ``/exhibitors``.

Each answers ``{"items": [...]}``; an item's ``id`` is its slug. Texts are in the language
asked with ``?lang=zh|en``, else the one the browser prefers (``Content-Language`` says
which). Times are ISO 8601 with the conference's UTC offset.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from ..current import current_conference
from ..i18n import LANGUAGES, current_language
from ..models import Exhibitor, Room, Session, Speaker, Track
from ..public import service
from . import bp


def _language() -> str:
    asked = request.args.get("lang")
    return asked if asked in LANGUAGES else current_language()


def _answer(items: list[dict[str, Any]], lang: str):
    response = jsonify({"items": items})
    response.headers["Content-Language"] = "zh-Hans" if lang == "zh" else "en"
    response.vary.update(("Accept-Language", "Cookie"))
    return response


def _room(room: Room, lang: str) -> dict[str, Any]:
    return {"slug": room.slug, "name": room.t("name", lang)}


def _track(track: Track | None, lang: str) -> dict[str, Any] | None:
    if track is None:
        return None
    return {"slug": track.slug, "name": track.t("name", lang), "colour": track.colour}


def session_item(
    session: Session, lang: str, tz_name: str, seats_left: int | None
) -> dict[str, Any]:
    return {
        "id": session.slug,
        "slug": session.slug,
        "title": session.t("title", lang),
        "kind": session.kind,
        "starts_at": service.local_iso(session.starts_at, tz_name),
        "ends_at": service.local_iso(session.ends_at, tz_name),
        "room": _room(session.room, lang),
        "track": _track(session.track, lang),
        "speakers": [{"slug": s.slug, "name": s.t("name", lang)} for s in session.speakers],
        "capacity": session.capacity,
        "seats_left": seats_left,
        "abstract": session.t("abstract", lang),
    }


def speaker_item(speaker: Speaker, lang: str) -> dict[str, Any]:
    return {
        "id": speaker.slug,
        "slug": speaker.slug,
        "name": speaker.t("name", lang),
        "title": speaker.t("title", lang),
        "organisation": speaker.t("organisation", lang),
        "bio": speaker.t("bio", lang),
        "sessions": [session.slug for session in speaker.sessions],
    }


def exhibitor_item(exhibitor: Exhibitor, lang: str) -> dict[str, Any]:
    return {
        "id": exhibitor.slug,
        "slug": exhibitor.slug,
        "name": exhibitor.t("name", lang),
        "booth": exhibitor.booth,
        "category": exhibitor.t("category", lang),
        "description": exhibitor.t("description", lang),
        "website": service.safe_web_address(exhibitor.website),
    }


@bp.get("/sessions")
def sessions():
    conference = current_conference()
    lang = _language()
    found = service.programme_sessions(conference)
    free = service.seats_left(found)
    items = [session_item(s, lang, conference.timezone, free[s.id]) for s in found]
    return _answer(items, lang)


@bp.get("/speakers")
def speakers():
    conference = current_conference()
    lang = _language()
    found = service.speakers_alphabetical(conference, lang)
    return _answer([speaker_item(s, lang) for s in found], lang)


@bp.get("/exhibitors")
def exhibitors():
    conference = current_conference()
    lang = _language()
    found = service.exhibitors_by_booth(conference)
    return _answer([exhibitor_item(e, lang) for e in found], lang)
