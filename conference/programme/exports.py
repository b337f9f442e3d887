"""Machine-readable programme exports: the c3voc/frab schedule (XML and JSON).

Every function takes a Conference and plain values (a language, the absolute links), so
the HTTP views and the tests share them. The iCalendar files are built in ``ical.py``.

Identifiers in the schedule documents:

- ``id`` of an event is ``Session.id``. These exports are the public programme, not
  registration data, so a sequential id reveals nothing; the format requires an integer.
- ``guid`` values are UUID5s of the conference slug and the session, speaker or room slug,
  so they survive a re-import of the programme (which gives rows new ids).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from importlib.metadata import PackageNotFoundError, version
from zoneinfo import ZoneInfo

from flask_babel import force_locale, gettext
from lxml import etree

from ..models import Conference, Room, Session, Speaker
from ..timefmt import to_local

SCHEDULE_SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
# Patterns of the c3voc schedule schemas (schedule.schema.json and schedule.xml.xsd).
FRAB_ACRONYM = re.compile(r"^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$")
FRAB_SLUG = re.compile(r"^[a-z0-9_-]+[a-z0-9]$")
XML_TRACK_SLUG = re.compile(r"^[a-z][a-z0-9-]+$")
TIME_ZONE_NAME = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")
# Characters XML 1.0 cannot carry at all, even escaped.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _guid(conference: Conference, kind: str, slug: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"conference:{conference.slug}:{kind}:{slug}"))


def session_guid(conference: Conference, session: Session) -> str:
    return _guid(conference, "session", session.slug)


def speaker_guid(conference: Conference, speaker: Speaker) -> str:
    return _guid(conference, "speaker", speaker.slug)


def room_guid(conference: Conference, room: Room) -> str:
    return _guid(conference, "room", room.slug)


def speaker_line(speaker: Speaker, lang: str) -> str:
    """"Name — job title, organisation" (the parts that are known)."""
    about = ", ".join(part for part in (speaker.t("title", lang), speaker.t("organisation", lang))
                      if part)
    name = speaker.t("name", lang)
    return f"{name} — {about}" if about else name


# c3voc / frab schedule ------------------------------------------------------------------

@dataclass(frozen=True)
class ScheduleLinks:
    """Absolute addresses the schedule documents point to."""

    home: str                                  # the conference site, e.g. https://host/
    session: Callable[[Session], str]          # a session's page
    speaker: Callable[[Speaker], str]          # a speaker's page


def schedule_acronym(conference: Conference) -> str:
    """The conference acronym in the form the schedule schema allows.

    The schema allows '-' only as the first character or in a ``-2024-name`` suffix; an
    acronym that does not fit has its other characters replaced by '_' (then the slug is
    tried the same way).
    """
    candidates = [conference.acronym or ""]
    for source in (conference.acronym or "", conference.slug):
        candidates.append(re.sub(r"[^a-z0-9_]", "_", source.lower()))
    for candidate in candidates:
        if FRAB_ACRONYM.match(candidate):
            return candidate
    return f"conference_{conference.id}"


def _event_slug(prefix: str, session: Session) -> str:
    """``<acronym>-<session slug>``, fitting both schemas' slug patterns.

    A session slug that is too short or ends in '-' gets ``_session`` appended: session
    slugs never hold '_', so the result cannot clash with another session's.
    """
    rest = session.slug
    if len(rest) < 4 or not FRAB_SLUG.match(rest):
        rest = f"{rest}_session"
    return f"{prefix}-{rest}"


def _text_language(item, field: str, lang: str) -> str:
    """The language ``item.t(field, lang)`` comes out in (the other one on fallback)."""
    return lang if getattr(item, f"{field}_{lang}") else ("en" if lang == "zh" else "zh")


def _hh_mm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _room_names(rooms: Sequence[Room], lang: str) -> dict[int, str]:
    """Each room's display name, made unique (the JSON keys events by room name)."""
    names: dict[int, str] = {}
    taken: set[str] = set()
    for room in rooms:
        name = room.t("name", lang) or room.slug
        if name in taken:
            name = f"{name} ({room.slug})"
        taken.add(name)
        names[room.id] = name
    return names


def _timeslot(sessions: Sequence[Session], tz: ZoneInfo) -> str:
    """The largest step (≤ 1 h) that every start and duration is a multiple of."""
    step = 0
    for session in sessions:
        local = session.starts_at.replace(tzinfo=UTC).astimezone(tz)
        step = math.gcd(step, local.hour * 60 + local.minute, session.duration_minutes)
    return _hh_mm(min(step, 60) if step else 15)


def _day_bounds(day: date, sessions: Sequence[Session], tz_name: str) -> tuple[str, str]:
    if sessions:
        start = min(to_local(s.starts_at, tz_name) for s in sessions)
        end = max(to_local(s.ends_at, tz_name) for s in sessions)
    else:
        start = datetime.combine(day, time(0), ZoneInfo(tz_name))
        end = datetime.combine(day, time(23, 59), ZoneInfo(tz_name))
    return start.isoformat(), end.isoformat()


def _event(conference: Conference, session: Session, lang: str, prefix: str,
           room_name: str, links: ScheduleLinks) -> dict:
    tz = conference.timezone
    speakers = [speaker_line(speaker, lang) for speaker in session.speakers]
    return {
        "id": session.id,
        "guid": session_guid(conference, session),
        "date": to_local(session.starts_at, tz).isoformat(),
        "start": to_local(session.starts_at, tz).strftime("%H:%M"),
        "end": to_local(session.ends_at, tz).isoformat(),
        "duration": _hh_mm(session.duration_minutes),
        "room": room_name,
        "slug": _event_slug(prefix, session),
        "url": links.session(session),
        "title": session.t("title", lang),
        "subtitle": _cancelled_word(lang) if session.cancelled else "",
        "track": session.track.t("name", lang) if session.track is not None else None,
        "type": session.kind,
        "language": _text_language(session, "title", lang),
        "abstract": session.t("abstract", lang),
        "description": "\n".join(speakers) or None,
        "persons": [
            {
                "guid": speaker_guid(conference, speaker),
                "name": speaker.t("name", lang),
                "public_name": speaker.t("name", lang),
                "biography": speaker.t("bio", lang) or None,
                "url": links.speaker(speaker),
            }
            for speaker in session.speakers
        ],
        "links": [],
    }


def _cancelled_word(lang: str) -> str:
    """A cancelled session stays in the schedule, its subtitle saying so."""
    with force_locale(lang):
        return gettext("Cancelled")


def schedule_document(
    conference: Conference, sessions: Sequence[Session], lang: str, links: ScheduleLinks
) -> dict:
    """The schedule as the JSON document (``schedule.schema.json``); the XML is built from it.

    ``language`` of an event is the language its title and abstract are given in here.
    ``description`` lists the speakers with their job titles and organisations.
    """
    tz_name = conference.timezone
    tz = ZoneInfo(tz_name)
    prefix = re.sub(r"[^a-z0-9_]", "_", schedule_acronym(conference))
    rooms = list(conference.rooms)
    room_names = _room_names(rooms, lang)

    by_day: dict[date, list[Session]] = {}
    day = conference.starts_on
    while day <= conference.ends_on:
        by_day[day] = []
        day += timedelta(days=1)
    for session in sessions:
        by_day.setdefault(to_local(session.starts_at, tz_name).date(), []).append(session)

    days = []
    for index, (day, day_sessions) in enumerate(sorted(by_day.items()), start=1):
        day_start, day_end = _day_bounds(day, day_sessions, tz_name)
        per_room: dict[str, list[dict]] = {room_names[room.id]: [] for room in rooms}
        for session in day_sessions:
            name = room_names[session.room_id]
            per_room[name].append(_event(conference, session, lang, prefix, name, links))
        days.append({"index": index, "date": day.isoformat(), "day_start": day_start,
                     "day_end": day_end, "rooms": per_room})

    info: dict = {
        "acronym": schedule_acronym(conference),
        "title": conference.t("name", lang),
        "start": min(by_day).isoformat(),
        "end": max(by_day).isoformat(),
        "daysCount": len(days),
        "timeslot_duration": _timeslot(sessions, tz),
        "url": links.home,
    }
    if description := conference.t("description", lang):
        info["description"] = description
    if TIME_ZONE_NAME.search(tz_name):
        info["time_zone_name"] = tz_name
    info["tracks"] = [
        {"name": track.t("name", lang), "color": track.colour,
         **({"slug": track.slug} if FRAB_SLUG.match(track.slug) else {})}
        for track in conference.tracks
    ]
    info["rooms"] = [
        {"name": room_names[room.id], "guid": room_guid(conference, room),
         **({"slug": room.slug} if FRAB_SLUG.match(room.slug) else {}),
         "description": room.t("location", lang) or None, "capacity": room.capacity}
        for room in rooms
    ]
    info["days"] = days

    content = json.dumps(info, sort_keys=True, ensure_ascii=False).encode()
    return {
        "$schema": SCHEDULE_SCHEMA_URL,
        "generator": {"name": "conference", "version": _generator_version()},
        "schedule": {
            "version": hashlib.sha256(content).hexdigest()[:12],
            "base_url": links.home,
            "conference": info,
        },
    }


def _generator_version() -> str:
    try:
        return version("conference")
    except PackageNotFoundError:
        return "0"


def schedule_json(
    conference: Conference, sessions: Sequence[Session], lang: str, links: ScheduleLinks
) -> bytes:
    document = schedule_document(conference, sessions, lang, links)
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def _xml_text(value) -> str:
    return XML_ILLEGAL.sub("", "" if value is None else str(value))


def _sub(parent: etree._Element, tag: str, text=None, **attributes) -> etree._Element:
    element = etree.SubElement(
        parent, tag, {key: _xml_text(value) for key, value in attributes.items()}
    )
    if text is not None:
        element.text = _xml_text(text)
    return element


def schedule_xml(
    conference: Conference, sessions: Sequence[Session], lang: str, links: ScheduleLinks
) -> bytes:
    """The schedule as ``schedule.xml`` (``schedule.xml.xsd``), same content as the JSON."""
    document = schedule_document(conference, sessions, lang, links)
    schedule = document["schedule"]
    info = schedule["conference"]

    root = etree.Element("schedule")
    _sub(root, "generator", name=document["generator"]["name"],
         version=document["generator"]["version"])
    _sub(root, "version", schedule["version"])
    head = _sub(root, "conference")
    _sub(head, "acronym", info["acronym"])
    _sub(head, "title", info["title"])
    _sub(head, "start", info["start"])
    _sub(head, "end", info["end"])
    _sub(head, "days", info["daysCount"])
    _sub(head, "timeslot_duration", info["timeslot_duration"])
    _sub(head, "base_url", schedule["base_url"])
    _sub(head, "url", info["url"])
    _sub(head, "time_zone_name", conference.timezone)
    for track in info["tracks"]:
        attributes = {"name": track["name"], "color": track["color"]}
        if XML_TRACK_SLUG.match(track.get("slug", "")):
            attributes["slug"] = track["slug"]
        _sub(head, "track", track["name"], **attributes)

    guids = {room["name"]: room["guid"] for room in info["rooms"]}
    for day in info["days"]:
        day_element = _sub(root, "day", index=day["index"], date=day["date"],
                           start=day["day_start"], end=day["day_end"])
        for room_name, events in day["rooms"].items():
            room_element = _sub(day_element, "room", name=room_name, guid=guids[room_name])
            for event in events:
                _event_xml(room_element, event)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _event_xml(parent: etree._Element, event: dict) -> None:
    element = _sub(parent, "event", id=event["id"], guid=event["guid"])
    for tag in ("room", "title", "subtitle", "type", "date", "start", "duration", "abstract",
                "slug", "track", "language", "description", "url"):
        _sub(element, tag, event[tag] if event[tag] is not None else "")
    persons = _sub(element, "persons")
    for person in event["persons"]:
        _sub(persons, "person", person["name"], guid=person["guid"])
    _sub(element, "links")
