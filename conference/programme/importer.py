"""Load a whole conference from a programme file (YAML, see docs/programme-format.md).

Every problem is reported with the line it is on, and a file with any problem changes
nothing: the file is checked completely before a single row is written.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from ..colours import is_colour
from ..extensions import db
from ..models import (
    QUESTION_KINDS,
    SESSION_KINDS,
    AttendeeCategory,
    Conference,
    Exhibitor,
    Question,
    Registration,
    Room,
    Session,
    Speaker,
    Track,
    session_speaker,
)
from ..timefmt import to_utc

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
CODE_LENGTH = 40  # category, question and option codes
ACRONYM = re.compile(r"^[a-z0-9_-][a-z0-9_-]{3,39}$")
LOCAL_TIME_FORMAT = "%Y-%m-%d %H:%M"


class ProgrammeError(ValueError):
    """The file cannot be loaded; ``errors`` holds one ``FILE:LINE: message`` per problem."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


class _Node(dict):
    """A mapping that remembers the line it starts on and the line of each value."""

    line: int = 0

    def __init__(self):
        super().__init__()
        self.lines: dict[str, int] = {}


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _Node:
    loader.flatten_mapping(node)
    mapping = _Node()
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = value_node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

# Allowed keys per block, and those that must be present.
FIELDS = {
    "top": ({"demo", "conference", "categories", "rooms", "tracks", "speakers", "exhibitors",
             "sessions", "questions"}, {"conference"}),
    "conference": ({"slug", "acronym", "name", "slogan", "description", "starts_on", "ends_on",
                    "timezone", "venue", "address", "wifi"},
                   {"slug", "name", "starts_on", "ends_on", "timezone", "venue"}),
    "category": ({"code", "name", "colour", "capacity", "needs_approval", "public", "opens_at",
                  "closes_at"}, {"code", "name"}),
    "question": ({"code", "kind", "label", "help", "required", "options"},
                 {"code", "kind", "label"}),
    "option": ({"code", "label"}, {"code", "label"}),
    "room": ({"slug", "name", "capacity", "location"}, {"slug", "name"}),
    "track": ({"slug", "name", "colour"}, {"slug", "name"}),
    "speaker": ({"slug", "name", "title", "organisation", "bio"}, {"slug", "name"}),
    "exhibitor": ({"slug", "name", "booth", "category", "description", "website"},
                  {"slug", "name", "booth"}),
    "session": ({"slug", "title", "abstract", "kind", "starts", "ends", "room", "track",
                 "capacity", "speakers"}, {"slug", "title", "starts", "ends", "room"}),
}


class _Checker:
    """Walks the parsed file, collecting errors and the values to store."""

    def __init__(self, filename: str):
        self.filename = filename
        self.errors: list[str] = []

    def error(self, line: int, message: str) -> None:
        self.errors.append(f"{self.filename}:{line}: {message}")

    def mapping(self, value, line: int, what: str) -> _Node | None:
        if not isinstance(value, _Node):
            self.error(line, f"{what} must be a mapping of keys to values")
            return None
        allowed, required = FIELDS[what]
        for key in value:
            if key not in allowed:
                self.error(value.lines[key], f"unknown key {key!r} in {what}")
        for key in sorted(required - value.keys()):
            self.error(value.line, f"{what} is missing {key!r}")
        return value

    def text(self, node: _Node, key: str, limit: int, required: bool = False) -> dict:
        """A bilingual text: ``{zh, en}`` or a plain string for both."""
        value = node.get(key)
        line = node.lines.get(key, node.line)
        if value is None:
            return {"zh": None, "en": None}
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            value = {"zh": str(value), "en": str(value)}
        if not isinstance(value, dict) or set(value) - {"zh", "en"}:
            self.error(line, f"{key!r} must be a text or a mapping with 'zh' and/or 'en'")
            return {"zh": None, "en": None}
        result = {}
        for lang in ("zh", "en"):
            text = value.get(lang)
            if text is not None and not isinstance(text, str):
                text = str(text)
            text = (text or "").strip() or None
            if text and len(text) > limit:
                self.error(line, f"{key!r} ({lang}) is longer than {limit} characters")
            result[lang] = text
        if required and not (result["zh"] or result["en"]):
            self.error(line, f"{key!r} is empty")
        return result

    def slug(self, node: _Node, key: str, seen: set[str], what: str) -> str | None:
        value = node.get(key)
        line = node.lines.get(key, node.line)
        if not isinstance(value, str) or not SLUG.match(value):
            self.error(line, f"{what} {key} {value!r} must be lowercase letters, digits and '-'")
            return None
        if value in seen:
            self.error(line, f"{what} {key} {value!r} is used twice")
        seen.add(value)
        return value

    def code(self, node: _Node, key: str, seen: set[str], what: str) -> str | None:
        """A slug short enough for a code column."""
        value = self.slug(node, key, seen, what)
        if value is not None and len(value) > CODE_LENGTH:
            self.error(node.lines[key], f"{what} {key} {value!r} is longer than {CODE_LENGTH}")
            return None
        return value

    def positive_int(self, node: _Node, key: str) -> int | None:
        value = node.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.error(node.lines[key], f"{key!r} must be a positive whole number, not {value!r}")
            return None
        return value

    def flag(self, node: _Node, key: str, default: bool) -> bool:
        value = node.get(key, default)
        if not isinstance(value, bool):
            self.error(node.lines[key], f"{key!r} must be true or false")
            return default
        return value

    def colour(self, node: _Node, key: str, default: str) -> str:
        value = node.get(key, default)
        if not is_colour(value):
            self.error(node.lines.get(key, node.line), f"{key!r} must look like #1f6feb")
            return default
        return value.lower()

    def day(self, node: _Node, key: str) -> date | None:
        value = node.get(key)
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        if key in node:
            self.error(node.lines[key], f"{key!r} must be a date like 2024-09-19")
        return None

    def local_time(self, node: _Node, key: str) -> datetime | None:
        value = node.get(key)
        if isinstance(value, datetime):
            return value.replace(tzinfo=None, second=0, microsecond=0)
        if isinstance(value, str):
            try:
                return datetime.strptime(value.strip(), LOCAL_TIME_FORMAT)
            except ValueError:
                pass
        if key in node:
            self.error(node.lines[key], f"{key!r} must be a local time like 2024-09-19 09:30")
        return None

    def items(self, data: _Node, key: str, what: str) -> list[_Node]:
        value = data.get(key) or []
        if not isinstance(value, list):
            self.error(data.lines[key], f"{key!r} must be a list")
            return []
        checked = []
        for item in value:
            node = self.mapping(item, data.lines[key], what)
            if node is not None:
                checked.append(node)
        return checked


def parse_programme(text: str, filename: str = "<programme>") -> dict:
    """Check a programme file and return plain values ready to store."""
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise ProgrammeError([f"{filename}:{line}: {exc.problem or exc.context}"]) from exc
    except yaml.YAMLError as exc:
        raise ProgrammeError([f"{filename}:1: {exc}"]) from exc

    check = _Checker(filename)
    top = check.mapping(data, 1, "top") if data is not None else None
    if top is None:
        if data is None:
            check.error(1, "the file is empty")
        raise ProgrammeError(check.errors)

    result: dict = {"demo": check.flag(top, "demo", False)}
    conf = check.mapping(top.get("conference"), top.lines.get("conference", 1), "conference")
    if conf is None:
        raise ProgrammeError(check.errors)

    slug = check.slug(conf, "slug", set(), "conference")
    acronym = conf.get("acronym", slug)
    if not isinstance(acronym, str) or not ACRONYM.match(acronym):
        check.error(conf.lines.get("acronym", conf.line),
                    "conference acronym must be 4-40 lowercase letters, digits, '-' or '_'")
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
    result["conference"] = {
        "slug": slug, "acronym": acronym, "timezone": tz_name,
        "starts_on": starts_on, "ends_on": ends_on,
        "name": check.text(conf, "name", 200, required=True),
        "slogan": check.text(conf, "slogan", 200),
        "description": check.text(conf, "description", 5000),
        "venue": check.text(conf, "venue", 200, required=True),
        "address": check.text(conf, "address", 300),
        "wifi_network": str(wifi.get("network") or "")[:100] or None,
        "wifi_password": str(wifi.get("password") or "")[:100] or None,
    }

    seen: set[str] = set()
    result["categories"] = [
        {"code": check.code(node, "code", seen, "category"),
         "name": check.text(node, "name", 100, required=True),
         "colour": check.colour(node, "colour", "#1f6feb"),
         "capacity": check.positive_int(node, "capacity"),
         "needs_approval": check.flag(node, "needs_approval", False),
         "public": check.flag(node, "public", True),
         **_window(check, node, tz_name)}
        for node in check.items(top, "categories", "category")
    ]
    if not result["categories"]:
        check.error(top.line, "at least one attendee category is needed")
    result["questions"] = _questions(check, top)

    seen = set()
    result["rooms"] = [
        {"slug": check.slug(node, "slug", seen, "room"),
         "name": check.text(node, "name", 200, required=True),
         "location": check.text(node, "location", 200),
         "capacity": check.positive_int(node, "capacity")}
        for node in check.items(top, "rooms", "room")
    ]
    rooms = set(seen)
    seen = set()
    result["tracks"] = [
        {"slug": check.slug(node, "slug", seen, "track"),
         "name": check.text(node, "name", 200, required=True),
         "colour": check.colour(node, "colour", "#666666")}
        for node in check.items(top, "tracks", "track")
    ]
    tracks = set(seen)
    seen = set()
    result["speakers"] = [
        {"slug": check.slug(node, "slug", seen, "speaker"),
         "name": check.text(node, "name", 120, required=True),
         "title": check.text(node, "title", 200),
         "organisation": check.text(node, "organisation", 200),
         "bio": check.text(node, "bio", 5000)}
        for node in check.items(top, "speakers", "speaker")
    ]
    speakers = set(seen)
    seen = set()
    result["exhibitors"] = []
    for node in check.items(top, "exhibitors", "exhibitor"):
        website = node.get("website")
        if website is not None and not (
            isinstance(website, str) and re.match(r"^https?://[^\s]+$", website)
        ):
            check.error(node.lines["website"], "website must be an http(s) address")
            website = None
        result["exhibitors"].append(
            {"slug": check.slug(node, "slug", seen, "exhibitor"),
             "name": check.text(node, "name", 200, required=True),
             "booth": str(node.get("booth", ""))[:20],
             "category": check.text(node, "category", 100),
             "description": check.text(node, "description", 5000),
             "website": website}
        )

    seen = set()
    result["sessions"] = []
    for node in check.items(top, "sessions", "session"):
        session = {"slug": check.slug(node, "slug", seen, "session"),
                   "title": check.text(node, "title", 300, required=True),
                   "abstract": check.text(node, "abstract", 10000),
                   "kind": node.get("kind", "talk"),
                   "capacity": check.positive_int(node, "capacity"),
                   "room": node.get("room"), "track": node.get("track"),
                   "speakers": node.get("speakers") or []}
        if session["kind"] not in SESSION_KINDS:
            check.error(node.lines["kind"],
                        f"kind {session['kind']!r} is not one of {', '.join(SESSION_KINDS)}")
        if session["room"] not in rooms:
            check.error(node.lines.get("room", node.line), f"unknown room {session['room']!r}")
        if session["track"] is not None and session["track"] not in tracks:
            check.error(node.lines["track"], f"unknown track {session['track']!r}")
        if not isinstance(session["speakers"], list):
            check.error(node.lines["speakers"], "speakers must be a list of speaker slugs")
            session["speakers"] = []
        for name in session["speakers"]:
            if name not in speakers:
                check.error(node.lines["speakers"], f"unknown speaker {name!r}")
        starts, ends = check.local_time(node, "starts"), check.local_time(node, "ends")
        if starts and ends:
            if ends <= starts:
                check.error(node.lines["ends"], "the session ends before it starts")
            if starts_on and ends_on and not (starts_on <= starts.date() <= ends_on):
                check.error(node.lines["starts"], "the session is outside the conference dates")
        if tz_name and starts and ends:
            session["starts_at"], session["ends_at"] = to_utc(starts, tz_name), to_utc(ends, tz_name)
        result["sessions"].append(session)

    if check.errors:
        raise ProgrammeError(check.errors)
    return result


def _window(check: _Checker, node: _Node, tz_name: str | None) -> dict:
    """A category's registration window: local times in the file, naive UTC out."""
    opens, closes = check.local_time(node, "opens_at"), check.local_time(node, "closes_at")
    if opens and closes and closes <= opens:
        check.error(node.lines["closes_at"], "registration closes before it opens")
    if not tz_name:
        return {"opens_at": None, "closes_at": None}
    return {"opens_at": to_utc(opens, tz_name) if opens else None,
            "closes_at": to_utc(closes, tz_name) if closes else None}


def _questions(check: _Checker, top: _Node) -> list[dict]:
    """The extra questions of the registration form, in display order."""
    questions = []
    seen: set[str] = set()
    for node in check.items(top, "questions", "question"):
        kind = node.get("kind")
        if kind not in QUESTION_KINDS:
            check.error(node.lines.get("kind", node.line),
                        f"kind {kind!r} is not one of {', '.join(QUESTION_KINDS)}")
        options = []
        with_options = kind in ("single", "multiple")
        if "options" in node and kind in ("text", "checkbox"):
            check.error(node.lines["options"], f"a {kind} question takes no options")
        elif with_options:
            option_codes: set[str] = set()
            for option in check.items(node, "options", "option"):
                label = check.text(option, "label", 200, required=True)
                options.append({"code": check.code(option, "code", option_codes, "option"),
                                "label_zh": label["zh"], "label_en": label["en"]})
            if not options:
                check.error(node.lines.get("options", node.line),
                            f"a {kind} question needs a list of options")
        questions.append({
            "code": check.code(node, "code", seen, "question"), "kind": kind,
            "label": check.text(node, "label", 300, required=True),
            "help": check.text(node, "help", 300),
            "required": check.flag(node, "required", False), "options": options,
        })
    return questions


def _bilingual(prefix: str, text: dict) -> dict:
    return {f"{prefix}_zh": text["zh"], f"{prefix}_en": text["en"]}


def import_programme(text: str, filename: str = "<programme>") -> Conference:
    """Check ``text`` and store it as one conference, replacing an earlier import of it.

    An earlier copy that already has registrations is not replaced (that would delete
    people's registrations): the import is refused instead.
    """
    data = parse_programme(text, filename)
    info = data["conference"]
    existing = db.session.execute(
        db.select(Conference).where(Conference.slug == info["slug"])
    ).scalar_one_or_none()
    if existing is not None:
        taken = db.session.execute(
            db.select(db.func.count(Registration.id)).where(
                Registration.conference_id == existing.id
            )
        ).scalar_one()
        if taken:
            raise ProgrammeError([
                f"{filename}:1: conference {info['slug']!r} already has {taken} registrations;"
                + " import it under another slug"
            ])
        db.session.delete(existing)
        db.session.flush()

    conference = Conference(
        slug=info["slug"], acronym=info["acronym"], timezone=info["timezone"],
        starts_on=info["starts_on"], ends_on=info["ends_on"], is_demo=data["demo"],
        wifi_network=info["wifi_network"], wifi_password=info["wifi_password"],
        **_bilingual("name", info["name"]), **_bilingual("slogan", info["slogan"]),
        **_bilingual("description", info["description"]), **_bilingual("venue", info["venue"]),
        **_bilingual("address", info["address"]),
    )
    conference.categories = [
        AttendeeCategory(code=c["code"], colour=c["colour"], capacity=c["capacity"],
                         needs_approval=c["needs_approval"], public=c["public"], position=i,
                         opens_at=c["opens_at"], closes_at=c["closes_at"],
                         **_bilingual("name", c["name"]))
        for i, c in enumerate(data["categories"])
    ]
    conference.questions = [
        Question(code=q["code"], kind=q["kind"], required=q["required"], options=q["options"],
                 position=i, **_bilingual("label", q["label"]), **_bilingual("help", q["help"]))
        for i, q in enumerate(data["questions"])
    ]
    rooms = {r["slug"]: Room(slug=r["slug"], capacity=r["capacity"], position=i,
                             **_bilingual("name", r["name"]), **_bilingual("location", r["location"]))
             for i, r in enumerate(data["rooms"])}
    tracks = {t["slug"]: Track(slug=t["slug"], colour=t["colour"], position=i,
                               **_bilingual("name", t["name"]))
              for i, t in enumerate(data["tracks"])}
    speakers = {s["slug"]: Speaker(slug=s["slug"], **_bilingual("name", s["name"]),
                                   **_bilingual("title", s["title"]),
                                   **_bilingual("organisation", s["organisation"]),
                                   **_bilingual("bio", s["bio"]))
                for s in data["speakers"]}
    conference.rooms = list(rooms.values())
    conference.tracks = list(tracks.values())
    conference.speakers = list(speakers.values())
    conference.exhibitors = [
        Exhibitor(slug=e["slug"], booth=e["booth"], website=e["website"],
                  **_bilingual("name", e["name"]), **_bilingual("category", e["category"]),
                  **_bilingual("description", e["description"]))
        for e in data["exhibitors"]
    ]
    conference.sessions = [
        Session(slug=s["slug"], kind=s["kind"], capacity=s["capacity"],
                starts_at=s["starts_at"], ends_at=s["ends_at"], room=rooms[s["room"]],
                track=tracks.get(s["track"]) if s["track"] else None,
                **_bilingual("title", s["title"]), **_bilingual("abstract", s["abstract"]))
        for s in data["sessions"]
    ]
    db.session.add(conference)
    db.session.flush()
    links = [
        {"session_id": session.id, "speaker_id": speakers[name].id, "position": position}
        for session, item in zip(conference.sessions, data["sessions"], strict=True)
        for position, name in enumerate(dict.fromkeys(item["speakers"]))
    ]
    if links:
        db.session.execute(session_speaker.insert(), links)
    db.session.commit()
    return conference
