"""Clash rules of the programme, checked on every save (page, API, import).

Two kinds of clash are refused unless the organiser saves despite them: a room holding two
sessions at once, and a speaker due in two sessions at once. Two kinds only warn: a session
outside the conference's days, and a session taking more people than its room holds.
Cancelled sessions clash with nothing. Times are naive UTC; two sessions overlap when each
starts before the other ends (one ending at 10:00 and one starting at 10:00 do not).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Conference, Room, Session, SessionStatus, Speaker, session_speaker
from ..timefmt import to_local

ROOM = "room"
SPEAKER = "speaker"
OUTSIDE_DAYS = "outside_days"
OVER_ROOM_CAPACITY = "over_room_capacity"


@dataclass(frozen=True)
class Clash:
    """The saved session would overlap ``session`` in the same room, or share ``speaker``."""

    session: Session
    reason: str  # ROOM or SPEAKER
    speaker: Speaker | None = None

    def message(self) -> str:
        if self.reason == ROOM:
            return gettext("The room is taken then by “%(session)s”.",
                           session=self.session.t("title"))
        return gettext("%(speaker)s speaks then in “%(session)s”.",
                       speaker=self.speaker.t("name"), session=self.session.t("title"))

    def as_dict(self) -> dict:
        """For the JSON API: ``{session, reason}`` (and the speaker of a speaker clash)."""
        found = {"session": self.session.slug, "reason": self.reason}
        if self.speaker is not None:
            found["speaker"] = self.speaker.slug
        return found


@dataclass(frozen=True)
class Warning:
    """A doubt the organiser is shown but that never refuses a save."""

    reason: str  # OUTSIDE_DAYS or OVER_ROOM_CAPACITY
    room: Room | None = None

    def message(self) -> str:
        if self.reason == OUTSIDE_DAYS:
            return gettext("The session is outside the conference's days.")
        return gettext("The session takes more people than %(room)s holds (%(capacity)d).",
                       room=self.room.t("name"), capacity=self.room.capacity)


def _overlapping(conference: Conference, starts_at: datetime, ends_at: datetime,
                 exclude_id: int | None):
    statement = db.select(Session).where(
        Session.conference_id == conference.id,
        Session.status == SessionStatus.SCHEDULED,
        Session.starts_at < ends_at,
        Session.ends_at > starts_at,
    )
    if exclude_id is not None:
        statement = statement.where(Session.id != exclude_id)
    return statement.order_by(Session.starts_at, Session.id)


def clashes_of(conference: Conference, *, starts_at: datetime, ends_at: datetime,
               room_id: int | None, speaker_ids: Sequence[int],
               exclude_id: int | None = None) -> list[Clash]:
    """The clashes a session with these values would have (``exclude_id``: itself)."""
    found: list[Clash] = []
    if room_id is not None:
        found += [
            Clash(other, ROOM)
            for other in db.session.execute(
                _overlapping(conference, starts_at, ends_at, exclude_id)
                .where(Session.room_id == room_id)
            ).scalars()
        ]
    if speaker_ids:
        rows = db.session.execute(
            _overlapping(conference, starts_at, ends_at, exclude_id)
            .join(session_speaker, session_speaker.c.session_id == Session.id)
            .where(session_speaker.c.speaker_id.in_(list(speaker_ids)))
            .add_columns(session_speaker.c.speaker_id)
        ).all()
        speakers = {s.id: s for s in db.session.execute(
            db.select(Speaker).where(Speaker.id.in_({row[1] for row in rows}))).scalars()}
        found += [Clash(other, SPEAKER, speakers[speaker_id]) for other, speaker_id in rows]
    return found


def warnings_of(conference: Conference, *, starts_at: datetime, ends_at: datetime,
                room: Room | None, capacity: int | None) -> list[Warning]:
    """The doubts about a session with these values."""
    found = []
    first = to_local(starts_at, conference.timezone).date()
    last = to_local(ends_at, conference.timezone).date()
    if first < conference.starts_on or last > conference.ends_on:
        found.append(Warning(OUTSIDE_DAYS))
    if room is not None and room.capacity and capacity and capacity > room.capacity:
        found.append(Warning(OVER_ROOM_CAPACITY, room))
    return found


@dataclass(frozen=True)
class StandingClash:
    """Two scheduled sessions that clash as the programme stands."""

    first: Session
    second: Session
    reason: str
    speaker: Speaker | None = None


def standing_clashes(conference: Conference) -> list[StandingClash]:
    """Every clash in the programme, in time order: the organiser's list of what to fix."""
    sessions = list(db.session.execute(
        db.select(Session)
        .where(Session.conference_id == conference.id,
               Session.status == SessionStatus.SCHEDULED)
        .options(selectinload(Session.speakers), selectinload(Session.room))
        .order_by(Session.starts_at, Session.ends_at, Session.id)
    ).scalars())
    return list(_pairs(sessions))


def _pairs(sessions: list[Session]) -> Iterable[StandingClash]:
    for number, first in enumerate(sessions):
        for second in sessions[number + 1:]:
            if second.starts_at >= first.ends_at:
                break  # sorted by start: no later one overlaps ``first`` either
            if second.room_id == first.room_id:
                yield StandingClash(first, second, ROOM)
            shared = {s.id for s in first.speakers} & {s.id for s in second.speakers}
            for speaker in first.speakers:
                if speaker.id in shared:
                    yield StandingClash(first, second, SPEAKER, speaker)
