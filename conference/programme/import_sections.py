"""The sections of a programme file, one function each (see docs/programme-format.md).

Each takes the file's top-level mapping and returns plain values ready to store, adding
every problem it finds to the ``Checker``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..extensions import db
from ..models import (
    QUESTION_KINDS,
    SESSION_KINDS,
    AttendeeCategory,
    Conference,
    Exhibitor,
    Question,
    QuestionKind,
    Room,
    Session,
    SessionKind,
    Speaker,
    Track,
)
from ..timefmt import to_utc
from .import_checks import Checker, column_length
from .yaml_lines import Node

ACRONYM_LENGTH = column_length(Conference, "acronym")
ACRONYM = re.compile(rf"^[a-z0-9_-]{{4,{ACRONYM_LENGTH}}}$")
WEBSITE = re.compile(r"^https?://[^\s]+$")
# Options are kept in the question's JSON column: their codes are held to the length of a
# question's code, their labels to this.
OPTION_LABEL_LENGTH = 200


def conference(check: Checker, top: Node) -> dict:
    """The event itself; nothing else can be checked without it."""
    conf = check.mapping(top.get("conference"), top.lines.get("conference", 1), "conference")
    if conf is None:
        raise check.stop()
    slug = check.slug(conf, "slug", set(), "conference", column_length(Conference, "slug"))
    acronym = conf.get("acronym", slug)
    if not isinstance(acronym, str) or not ACRONYM.match(acronym):
        check.error(conf.lines.get("acronym", conf.line),
                    f"conference acronym must be 4-{ACRONYM_LENGTH} lowercase letters, digits,"
                    " '-' or '_'")
    tz_name = conf.get("timezone")
    try:
        ZoneInfo(str(tz_name))
    except (ZoneInfoNotFoundError, ValueError):
        check.error(conf.lines.get("timezone", conf.line),
                    f"unknown time zone {tz_name!r} (use an IANA name like Asia/Shanghai)")
        tz_name = None
    starts_on, ends_on = check.day(conf, "starts_on"), check.day(conf, "ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        check.error(conf.lines["ends_on"], "the conference ends before it starts")
    wifi = conf.get("wifi") or {}
    if not isinstance(wifi, dict) or set(wifi) - {"network", "password"}:
        check.error(conf.lines.get("wifi", conf.line), "wifi takes 'network' and 'password'")
        wifi = {}
    return {
        "slug": slug, "acronym": acronym, "timezone": tz_name,
        "starts_on": starts_on, "ends_on": ends_on,
        "name": check.text(conf, "name", Conference, required=True),
        "slogan": check.text(conf, "slogan", Conference),
        "description": check.text(conf, "description", Conference),
        "venue": check.text(conf, "venue", Conference, required=True),
        "address": check.text(conf, "address", Conference),
        "wifi_network": _cut(wifi.get("network"), column_length(Conference, "wifi_network")),
        "wifi_password": _cut(wifi.get("password"), column_length(Conference, "wifi_password")),
    }


def categories(check: Checker, top: Node, tz_name: str | None) -> list[dict]:
    """The attendee categories, in display order; at least one is needed."""
    found = [
        {"code": code,
         "name": check.text(node, "name", AttendeeCategory, required=True),
         "colour": check.colour(node, "colour", "#1f6feb"),
         "capacity": check.positive_int(node, "capacity"),
         "needs_approval": check.flag(node, "needs_approval", False),
         "public": check.flag(node, "public", True),
         **_window(check, node, tz_name)}
        for node, code in _each(check, top, "categories", "category", AttendeeCategory, "code")
    ]
    if not found:
        check.error(top.line, "at least one attendee category is needed")
    return found


def _window(check: Checker, node: Node, tz_name: str | None) -> dict:
    """A category's registration window: local times in the file, naive UTC out."""
    opens, closes = check.local_time(node, "opens_at"), check.local_time(node, "closes_at")
    if opens and closes and closes <= opens:
        check.error(node.lines["closes_at"], "registration closes before it opens")
    if not tz_name:
        return {"opens_at": None, "closes_at": None}
    return {"opens_at": to_utc(opens, tz_name) if opens else None,
            "closes_at": to_utc(closes, tz_name) if closes else None}


def questions(check: Checker, top: Node) -> list[dict]:
    """The extra questions of the registration form, in display order."""
    code_length = column_length(Question, "code")
    found = []
    seen: set[str] = set()
    for node in check.items(top, "questions", "question"):
        kind = node.get("kind")
        if kind not in QUESTION_KINDS:
            check.error(node.lines.get("kind", node.line),
                        f"kind {kind!r} is not one of {', '.join(QUESTION_KINDS)}")
        options = []
        if "options" in node and kind in (QuestionKind.TEXT, QuestionKind.CHECKBOX):
            check.error(node.lines["options"], f"a {kind} question takes no options")
        elif kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            option_codes: set[str] = set()
            for option in check.items(node, "options", "option"):
                label = check.text_within(option, "label", OPTION_LABEL_LENGTH, required=True)
                options.append({
                    "code": check.slug(option, "code", option_codes, "option", code_length),
                    "label_zh": label["zh"], "label_en": label["en"],
                })
            if not options:
                check.error(node.lines.get("options", node.line),
                            f"a {kind} question needs a list of options")
        found.append({
            "code": check.slug(node, "code", seen, "question", code_length), "kind": kind,
            "label": check.text(node, "label", Question, required=True),
            "help": check.text(node, "help", Question),
            "required": check.flag(node, "required", False), "options": options,
        })
    return found


def rooms(check: Checker, top: Node) -> list[dict]:
    return [
        {"slug": slug,
         "name": check.text(node, "name", Room, required=True),
         "location": check.text(node, "location", Room),
         "capacity": check.positive_int(node, "capacity")}
        for node, slug in _each(check, top, "rooms", "room", Room)
    ]


def tracks(check: Checker, top: Node) -> list[dict]:
    return [
        {"slug": slug,
         "name": check.text(node, "name", Track, required=True),
         "colour": check.colour(node, "colour", "#666666")}
        for node, slug in _each(check, top, "tracks", "track", Track)
    ]


def speakers(check: Checker, top: Node) -> list[dict]:
    return [
        {"slug": slug,
         "name": check.text(node, "name", Speaker, required=True),
         "title": check.text(node, "title", Speaker),
         "organisation": check.text(node, "organisation", Speaker),
         "bio": check.text(node, "bio", Speaker)}
        for node, slug in _each(check, top, "speakers", "speaker", Speaker)
    ]


def exhibitors(check: Checker, top: Node) -> list[dict]:
    found = []
    for node, slug in _each(check, top, "exhibitors", "exhibitor", Exhibitor):
        website = node.get("website")
        if website is not None and not (isinstance(website, str) and WEBSITE.match(website)):
            check.error(node.lines["website"], "website must be an http(s) address")
            website = None
        found.append(
            {"slug": slug,
             "name": check.text(node, "name", Exhibitor, required=True),
             "booth": str(node.get("booth", ""))[:column_length(Exhibitor, "booth")],
             "category": check.text(node, "category", Exhibitor),
             "description": check.text(node, "description", Exhibitor),
             "website": website}
        )
    return found


def sessions(check: Checker, top: Node, programme: dict) -> list[dict]:
    """The agenda; ``programme`` holds the sections checked before, which sessions name."""
    known = {
        section: {item["slug"] for item in programme[section]} - {None}
        for section in ("rooms", "tracks", "speakers")
    }
    found = []
    for node, slug in _each(check, top, "sessions", "session", Session):
        session = {"slug": slug,
                   "title": check.text(node, "title", Session, required=True),
                   "abstract": check.text(node, "abstract", Session),
                   "kind": node.get("kind", SessionKind.TALK),
                   "capacity": check.positive_int(node, "capacity"),
                   "room": node.get("room"), "track": node.get("track"),
                   "speakers": node.get("speakers") or []}
        if session["kind"] not in SESSION_KINDS:
            check.error(node.lines["kind"],
                        f"kind {session['kind']!r} is not one of {', '.join(SESSION_KINDS)}")
        _check_references(check, node, session, known)
        session.update(_times(check, node, programme["conference"]))
        found.append(session)
    return found


def _check_references(check: Checker, node: Node, session: dict, known: dict) -> None:
    """The session's room, track and speakers are ones the file defines."""
    if not _known(session["room"], known["rooms"]):
        check.error(node.lines.get("room", node.line), f"unknown room {session['room']!r}")
    if session["track"] is not None and not _known(session["track"], known["tracks"]):
        check.error(node.lines["track"], f"unknown track {session['track']!r}")
    if not isinstance(session["speakers"], list):
        check.error(node.lines["speakers"], "speakers must be a list of speaker slugs")
        session["speakers"] = []
    for name in session["speakers"]:
        if not _known(name, known["speakers"]):
            check.error(node.lines["speakers"], f"unknown speaker {name!r}")


def _known(value, slugs: set[str]) -> bool:
    """``value`` is one of ``slugs`` (and not, say, a mapping written by mistake)."""
    return isinstance(value, str) and value in slugs


def _times(check: Checker, node: Node, conf: dict) -> dict:
    """A session's start and end: local times in the file, naive UTC out."""
    starts, ends = check.local_time(node, "starts"), check.local_time(node, "ends")
    if starts and ends:
        if ends <= starts:
            check.error(node.lines["ends"], "the session ends before it starts")
        if conf["starts_on"] and conf["ends_on"] and not (
            conf["starts_on"] <= starts.date() <= conf["ends_on"]
        ):
            check.error(node.lines["starts"], "the session is outside the conference dates")
    if not (conf["timezone"] and starts and ends):
        return {}
    return {"starts_at": to_utc(starts, conf["timezone"]), "ends_at": to_utc(ends, conf["timezone"])}


def _cut(value, length: int) -> str | None:
    """``value`` as text cut to ``length``; None when empty."""
    return str(value or "")[:length] or None


def _each(check: Checker, top: Node, key: str, what: str, model: type[db.Model],
          name: str = "slug") -> Iterator[tuple[Node, str | None]]:
    """Each item of the list ``key`` with its ``name``: a slug unique within the list and no
    longer than ``model``'s column; None when it is not."""
    seen: set[str] = set()
    limit = column_length(model, name)
    for node in check.items(top, key, what):
        yield node, check.slug(node, name, seen, what, limit)
