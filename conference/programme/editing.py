"""Creating, editing, cancelling and deleting what a programme holds — the one way every
entry point (the admin pages, the importer, the JSON API) changes it.

The services take plain values (see ``edit_values``: column names, naive UTC times, ids of
rooms, tracks and speakers), write in the caller's transaction and never commit: the
caller commits, then sends the e-mails of the ``Outcome`` (``finish``). What they refuse
they refuse whole, as a domain error (``edit_errors``): bad values, a stale version, a
room or speaker clash not allowed, an item still in use. Each write is recorded in the
audit log beside the change.

Versions: every edited row carries a ``version``; a save that names the version the
editor read is refused as stale when the row moved on since, and the UPDATE itself only
touches the row still at that version, so of two concurrent saves the later is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext
from sqlalchemy.orm.exc import StaleDataError

from .. import audit
from ..extensions import db
from ..mail.outbox import send_queued
from ..models import (
    AttendeeCategory,
    Conference,
    OutboxMessage,
    Registration,
    Room,
    Session,
    SessionStatus,
    Speaker,
    Track,
)
from . import changes
from .clashes import Clash, Warning, clashes_of, warnings_of
from .edit_errors import ClashRefused, InUse, Stale
from .edit_values import SPECS, Spec, clean

# Fields of a session whose change moves it for the people holding seats.
MOVING_FIELDS = ("starts_at", "ends_at", "room_id")


@dataclass
class Outcome:
    """What a save did: the item, the e-mails to send after the commit, the doubts."""

    item: Any
    mails: list[OutboxMessage] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    changes: dict[str, list[Any]] = field(default_factory=dict)
    cancelled: bool = False  # a removed session was cancelled, not deleted


def finish(outcome: Outcome | None = None) -> None:
    """Commit the caller's transaction and send the outcome's e-mails (when inline)."""
    db.session.commit()
    if outcome is not None:
        send_queued(outcome.mails)


def _snapshot(spec: Spec, item) -> dict[str, Any]:
    found = {name: getattr(item, name) for name in spec.fields if name != "speaker_ids"}
    if spec.key:
        found[spec.key] = getattr(item, spec.key)
    if isinstance(item, Session):
        found["speaker_ids"] = [speaker.id for speaker in item.speakers]
    return found


def _check_version(item, version: int | None) -> None:
    if version is not None and item.version != version:
        raise Stale(item.version)


def _flush(item) -> None:
    """Write now: a concurrent save that got there first makes this one stale."""
    try:
        db.session.flush()
    except StaleDataError as exc:
        db.session.rollback()
        raise Stale() from exc


def _apply(item, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if name == "speaker_ids":
            speakers = {s.id: s for s in db.session.execute(
                db.select(Speaker).where(Speaker.id.in_(value))).scalars()} if value else {}
            item.speakers = [speakers[speaker_id] for speaker_id in value]
        else:
            setattr(item, name, value)


def _record(spec: Spec, action: str, item, before: dict, after: dict) -> dict:
    changed = audit.changed_fields(before, after)
    label = getattr(item, spec.key) if spec.key else getattr(item, "slug", "")
    audit.record(f"{spec.audit_name}.{action}", target=item, summary=str(label),
                 changes=changed)
    return changed


# Rooms, tracks, speakers, exhibitors, categories --------------------------------------

def create(conference: Conference, kind: str, values: dict[str, Any]) -> Outcome:
    """A new room, track, speaker, exhibitor or category of ``conference``."""
    spec = SPECS[kind]
    cleaned = clean(spec, values, None, conference)
    item = spec.model(conference_id=conference.id)
    if hasattr(item, "position"):
        item.position = _next_position(spec, conference)
    _apply(item, cleaned)
    item.version = 1
    db.session.add(item)
    db.session.flush()
    return Outcome(item, changes=_record(spec, "create", item, {}, _snapshot(spec, item)))


def _next_position(spec: Spec, conference: Conference) -> int:
    highest = db.session.execute(
        db.select(db.func.max(spec.model.position))
        .where(spec.model.conference_id == conference.id)).scalar()
    return (highest or 0) + 1


def update(item, kind: str, values: dict[str, Any], version: int | None = None) -> Outcome:
    """Change the fields in ``values`` of a room, track, speaker, exhibitor, category or
    the conference itself; ``version``: the one the editor read (None: no check)."""
    spec = SPECS[kind]
    _check_version(item, version)
    conference = item if isinstance(item, Conference) else item.conference
    cleaned = clean(spec, values, item, conference)
    before = _snapshot(spec, item)
    _apply(item, cleaned)
    after = _snapshot(spec, item)
    if before == after:
        return Outcome(item)
    item.version = item.version + 1
    _flush(item)
    outcome = Outcome(item, changes=_record(spec, "update", item, before, after))
    if isinstance(item, Room) and "capacity" in outcome.changes:
        outcome.warnings = _room_warnings(item)
    return outcome


def _room_warnings(room: Room) -> list[Warning]:
    return [warning for session in db.session.execute(
                db.select(Session).where(Session.room_id == room.id)).scalars()
            for warning in warnings_of(room.conference, starts_at=session.starts_at,
                                       ends_at=session.ends_at, room=room,
                                       capacity=session.capacity)
            if warning.room is not None][:1]


def delete(item, kind: str, version: int | None = None) -> Outcome:
    """Delete a room or category nobody uses, or a track, speaker or exhibitor (a track's
    sessions keep no track; a speaker leaves their sessions)."""
    spec = SPECS[kind]
    _check_version(item, version)
    if isinstance(item, Room) and _count(Session, Session.room_id == item.id):
        raise InUse(_in_use_message("room"))
    if isinstance(item, AttendeeCategory) and _count(
            Registration, Registration.category_id == item.id):
        raise InUse(_in_use_message("category"))
    if isinstance(item, Track):
        for session in db.session.execute(
                db.select(Session).where(Session.track_id == item.id)).scalars():
            session.track_id = None
            session.version += 1
    changed = _record(spec, "delete", item, _snapshot(spec, item), {})
    db.session.delete(item)
    _flush(item)
    return Outcome(item, changes=changed)


def _count(model, condition) -> int:
    return db.session.execute(db.select(db.func.count(model.id)).where(condition)).scalar_one()


def _in_use_message(kind: str) -> str:
    if kind == "room":
        return gettext("Sessions take place in this room: move them first.")
    return gettext("People registered in this category: it cannot be deleted.")


# Sessions ------------------------------------------------------------------------------

def save_session(conference: Conference, session: Session | None, values: dict[str, Any],
                 version: int | None = None, allow_clash: bool = False) -> Outcome:
    """Create (``session`` None) or change a session; refused on a room or speaker clash
    unless ``allow_clash``. Holders of seats are told of a move, seats fitted to a new
    capacity."""
    spec = SPECS["session"]
    if session is not None:
        _check_version(session, version)
    cleaned = clean(spec, values, session, conference)
    before = _snapshot(spec, session) if session is not None else {}
    clashes = _new_clashes(conference, session, before, {**before, **cleaned})
    if clashes and not allow_clash:
        raise ClashRefused(clashes)
    if session is None:
        session = Session(conference_id=conference.id, version=1)
        _apply(session, cleaned)
        db.session.add(session)
        db.session.flush()
        outcome = Outcome(session, changes=_record(spec, "create", session, {},
                                                   _snapshot(spec, session)))
    else:
        outcome = _change_session(spec, session, cleaned, before)
    outcome.warnings = warnings_of(conference, starts_at=session.starts_at,
                                   ends_at=session.ends_at, room=session.room,
                                   capacity=session.capacity)
    return outcome


def _clashes(conference: Conference, session: Session | None, values: dict) -> list[Clash]:
    return clashes_of(conference, starts_at=values["starts_at"], ends_at=values["ends_at"],
                      room_id=values["room_id"], speaker_ids=values.get("speaker_ids") or [],
                      exclude_id=session.id if session is not None else None)


def _new_clashes(conference: Conference, session: Session | None, before: dict,
                 planned: dict) -> list[Clash]:
    """The clashes the save would bring: one standing already (the organiser saved despite
    it, or the import brought it) does not stop an edit of the title."""
    if session is not None and session.cancelled:
        return []
    found = _clashes(conference, session, planned)
    if not found or session is None:
        return found
    standing = {(c.session.id, c.reason, c.speaker) for c in _clashes(conference, session, before)}
    return [c for c in found if (c.session.id, c.reason, c.speaker) not in standing]


def _change_session(spec: Spec, session: Session, cleaned: dict, before: dict) -> Outcome:
    if "capacity" in cleaned and cleaned["capacity"] != session.capacity:
        changes.lock(session)
    _apply(session, cleaned)
    after = _snapshot(spec, session)
    if before == after:
        return Outcome(session)
    session.version += 1
    _flush(session)
    db.session.expire(session, ["room"])
    outcome = Outcome(session, changes=_record(spec, "update", session, before, after))
    if session.status == SessionStatus.CANCELLED:
        return outcome
    if any(before[name] != after[name] for name in MOVING_FIELDS):
        outcome.mails += changes.moved(session)
    if before["capacity"] != after["capacity"]:
        outcome.mails += changes.capacity_changed(session, before["capacity"])
    return outcome


def cancel_session(session: Session, version: int | None = None) -> Outcome:
    """Cancel ``session``: kept on the agenda marked cancelled, its seats freed, its
    holders told. Cancelling a cancelled session changes nothing."""
    _check_version(session, version)
    if session.cancelled:
        return Outcome(session)
    changes.lock(session)
    mails = changes.cancel(session)
    session.version += 1
    _flush(session)
    changed = audit.changed_fields({"status": SessionStatus.SCHEDULED},
                                   {"status": SessionStatus.CANCELLED})
    audit.record("session.cancel", target=session, summary=session.slug, changes=changed)
    return Outcome(session, mails=mails, changes=changed, cancelled=True)


def remove_session(session: Session, version: int | None = None) -> Outcome:
    """Delete ``session`` when nobody holds a seat in it or waits for one; else cancel it
    (a session someone holds is never deleted)."""
    _check_version(session, version)
    if changes.is_held(session):
        return cancel_session(session, version)
    spec = SPECS["session"]
    changed = _record(spec, "delete", session, _snapshot(spec, session), {})
    db.session.delete(session)
    _flush(session)
    return Outcome(session, changes=changed)


def reinstate_session(session: Session, version: int | None = None,
                      allow_clash: bool = False) -> Outcome:
    """Put a cancelled session back on the programme (its seats stay released: people
    book again)."""
    _check_version(session, version)
    if not session.cancelled:
        return Outcome(session)
    clashes = _clashes(session.conference, session, _snapshot(SPECS["session"], session))
    if clashes and not allow_clash:
        raise ClashRefused(clashes)
    session.status = SessionStatus.SCHEDULED
    session.version += 1
    _flush(session)
    changed = {"status": [SessionStatus.CANCELLED, SessionStatus.SCHEDULED]}
    audit.record("session.reinstate", target=session, summary=session.slug, changes=changed)
    return Outcome(session, changes=changed)
