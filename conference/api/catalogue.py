"""The catalogue: ``GET /api/v1/sessions``, ``/speakers`` and ``/exhibitors``.

Each answers ``{"items": [...]}``; an item's ``id`` is its slug. Texts are in the language
asked with ``?lang=zh|en``, else the one the browser prefers (``Content-Language`` says
which). Times are ISO 8601 with the conference's UTC offset.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ..current import current_conference
from ..i18n import LANGUAGES, current_language
from ..models import Exhibitor, Room, Session, Speaker, Track
from ..public import service
from . import bp
from .contract import Answer, DateTimeText, Schema, operation

TAGS = ["catalogue"]
NO_CONFERENCE = {404: "No conference has been loaded yet."}
LANGUAGE_HEADERS = {200: {"Content-Language": "`zh-Hans` or `en`: the language of the texts."}}


class CatalogueQuery(Schema):
    lang: str | None = Field(None, description=(
        "`zh` or `en`; else (or for another value) the language the browser prefers."))

    @property
    def language(self) -> str:
        return self.lang if self.lang in LANGUAGES else current_language()


class Named(Answer):
    slug: str
    name: str | None


class TrackItem(Named):
    colour: str | None


class SessionItem(Answer):
    id: str = Field(description="The session's slug (also its `slug`).")
    slug: str
    title: str | None
    kind: str
    starts_at: DateTimeText
    ends_at: DateTimeText
    room: Named
    track: TrackItem | None
    speakers: list[Named]
    capacity: int | None = Field(description="Seats to book; `null`: no booking.")
    seats_left: int | None = Field(description="0 once the session is cancelled.")
    status: Literal["scheduled", "cancelled"] = Field(
        description="A cancelled session stays in the programme, marked, and takes no bookings.")
    abstract: str | None


class SpeakerItem(Answer):
    id: str
    slug: str
    name: str | None
    title: str | None
    organisation: str | None
    bio: str | None
    sessions: list[str] = Field(description="The slugs of the speaker's sessions.")


class ExhibitorItem(Answer):
    id: str
    slug: str
    name: str | None
    booth: str | None
    category: str | None
    description: str | None
    website: str | None


class Sessions(Answer):
    items: list[SessionItem]


class Speakers(Answer):
    items: list[SpeakerItem]


class Exhibitors(Answer):
    items: list[ExhibitorItem]


def _answer(items: list[dict[str, Any]], lang: str):
    return {"items": items}, 200, {
        "Content-Language": "zh-Hans" if lang == "zh" else "en",
        "Vary": "Accept-Language, Cookie",
    }


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
        "status": session.status,
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
@operation(summary="The programme's sessions", tags=TAGS, query=CatalogueQuery,
           responses={200: Sessions, **NO_CONFERENCE}, headers=LANGUAGE_HEADERS)
def sessions(query: CatalogueQuery):
    """Every session of the programme, in time order, with the seats left to book."""
    conference = current_conference()
    lang = query.language
    found = service.programme_sessions(conference)
    free = service.seats_left(found)
    items = [session_item(s, lang, conference.timezone, free[s.id]) for s in found]
    return _answer(items, lang)


@bp.get("/speakers")
@operation(summary="The speakers", tags=TAGS, query=CatalogueQuery,
           responses={200: Speakers, **NO_CONFERENCE}, headers=LANGUAGE_HEADERS)
def speakers(query: CatalogueQuery):
    """Every speaker, in alphabetical order of the language asked."""
    conference = current_conference()
    lang = query.language
    found = service.speakers_alphabetical(conference, lang)
    return _answer([speaker_item(s, lang) for s in found], lang)


@bp.get("/exhibitors")
@operation(summary="The exhibitors", tags=TAGS, query=CatalogueQuery,
           responses={200: Exhibitors, **NO_CONFERENCE}, headers=LANGUAGE_HEADERS)
def exhibitors(query: CatalogueQuery):
    """Every exhibitor, by booth."""
    conference = current_conference()
    lang = query.language
    found = service.exhibitors_by_booth(conference)
    return _answer([exhibitor_item(e, lang) for e in found], lang)
