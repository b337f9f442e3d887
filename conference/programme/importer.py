"""Load a whole conference from a programme file (YAML, see docs/programme-format.md).

Every problem is reported with the line it is on, and a file with any problem changes
nothing: the file is checked completely before a single row is written. The values are
checked in ``import_checks``, section by section in ``import_sections``.
"""

from __future__ import annotations

import yaml

from ..extensions import db
from ..mail.outbox import send_queued
from ..models import (
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
from . import import_sections as sections
from .edit_errors import EditRefused
from .import_checks import Checker, ProgrammeError
from .import_in_place import Report, update_in_place
from .yaml_lines import Node, load


def parse_programme(text: str, filename: str = "<programme>") -> dict:
    """Check a programme file and return plain values ready to store."""
    check = Checker(filename)
    top = _top(check, text)
    result: dict = {"demo": check.flag(top, "demo", False)}
    result["conference"] = sections.conference(check, top)
    result["categories"] = sections.categories(check, top, result["conference"]["timezone"])
    result["questions"] = sections.questions(check, top)
    result["rooms"] = sections.rooms(check, top)
    result["tracks"] = sections.tracks(check, top)
    result["speakers"] = sections.speakers(check, top)
    result["exhibitors"] = sections.exhibitors(check, top)
    result["sessions"] = sections.sessions(check, top, result)
    if check.errors:
        raise check.stop()
    return result


def _top(check: Checker, text: str) -> Node:
    """The file's top-level mapping; a file that is not one cannot be checked further."""
    try:
        data = load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        check.error(line, exc.problem or exc.context)
        raise check.stop() from exc
    except yaml.YAMLError as exc:
        check.error(1, str(exc))
        raise check.stop() from exc
    if data is None:
        check.error(1, "the file is empty")
        raise check.stop()
    top = check.mapping(data, 1, "top")
    if top is None:
        raise check.stop()
    return top


def _bilingual(prefix: str, text: dict) -> dict:
    return {f"{prefix}_zh": text["zh"], f"{prefix}_en": text["en"]}


def import_programme(text: str, filename: str = "<programme>") -> Conference:
    """Check ``text`` and store it as one conference (see ``load_programme``)."""
    return load_programme(text, filename)[0]


def load_programme(text: str, filename: str = "<programme>", dry_run: bool = False
                   ) -> tuple[Conference, Report | None]:
    """Check ``text`` and store it: a new conference, or one replacing an earlier import of
    it that nobody registered for; a conference people registered for is changed in place
    (``import_in_place``), and the report says what changed. ``dry_run``: nothing is kept.
    """
    data = parse_programme(text, filename)
    existing = db.session.execute(
        db.select(Conference).where(Conference.slug == data["conference"]["slug"])
    ).scalar_one_or_none()
    if existing is not None and _registrations(existing):
        return _in_place(existing, data, filename, dry_run)
    if existing is not None:
        db.session.delete(existing)
        db.session.flush()
    conference = _conference(data)
    speakers = _programme(conference, data)
    db.session.add(conference)
    db.session.flush()
    links = [
        {"session_id": session.id, "speaker_id": speakers[name].id, "position": position}
        for session, item in zip(conference.sessions, data["sessions"], strict=True)
        for position, name in enumerate(dict.fromkeys(item["speakers"]))
    ]
    if links:
        db.session.execute(session_speaker.insert(), links)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return conference, None


def _registrations(conference: Conference) -> int:
    return db.session.execute(
        db.select(db.func.count(Registration.id)).where(Registration.conference_id == conference.id)
    ).scalar_one()


def _in_place(conference: Conference, data: dict, filename: str, dry_run: bool
              ) -> tuple[Conference, Report]:
    try:
        report = update_in_place(conference, data)
    except EditRefused as exc:
        db.session.rollback()
        raise ProgrammeError([f"{filename}:1: {exc}"]) from exc
    if dry_run:
        db.session.rollback()
        return conference, report
    db.session.commit()
    send_queued(report.mails)
    return conference, report


def _conference(data: dict) -> Conference:
    """The conference row with its categories, questions and exhibitors."""
    info = data["conference"]
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
    conference.exhibitors = [
        Exhibitor(slug=e["slug"], booth=e["booth"], website=e["website"],
                  **_bilingual("name", e["name"]), **_bilingual("category", e["category"]),
                  **_bilingual("description", e["description"]))
        for e in data["exhibitors"]
    ]
    return conference


def _programme(conference: Conference, data: dict) -> dict[str, Speaker]:
    """Give ``conference`` its rooms, tracks, speakers and sessions; the speakers by slug."""
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
    conference.sessions = [
        Session(slug=s["slug"], kind=s["kind"], capacity=s["capacity"],
                starts_at=s["starts_at"], ends_at=s["ends_at"], room=rooms[s["room"]],
                track=tracks.get(s["track"]) if s["track"] else None,
                **_bilingual("title", s["title"]), **_bilingual("abstract", s["abstract"]))
        for s in data["sessions"]
    ]
    return speakers
