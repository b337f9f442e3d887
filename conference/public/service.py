"""Read-only queries behind the public pages and the catalogue API.

Every function takes the conference (and plain values) and returns models or small
dataclasses, so the HTML views, the JSON API and the tests share one set of rules.
Sessions are always loaded with their room, track and speakers in a fixed number of
queries, however long the programme is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby

from pypinyin import lazy_pinyin
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from ..extensions import db
from ..models import Conference, Exhibitor, Room, Session, Speaker, Track
from ..models.seating import seats_taken
from ..timefmt import to_local
from .timetable import DayGrid, lay_out_day

WEB_ADDRESS = re.compile(r"^https?://[^\s]+$", re.IGNORECASE)
# Kinds that fill time between sessions rather than being sessions one chooses.
PAUSE_KINDS = ("break",)


@dataclass(frozen=True)
class TimeSlot:
    """Sessions starting at the same moment, in room order (parallel sessions)."""

    starts_at: datetime  # naive UTC
    sessions: list[Session]


@dataclass(frozen=True)
class AgendaDay:
    day: date  # in the conference's time zone
    slots: list[TimeSlot]
    grid: DayGrid  # positions in the wide-screen timetable


@dataclass
class Agenda:
    """The agenda as the ``/agenda`` page shows it, after the track and room filters."""

    days: list[AgendaDay]
    tracks: list[Track]
    rooms: list[Room]
    track: Track | None = None
    room: Room | None = None
    # The filter values that name no track or room of the conference.
    unknown_track: str | None = None
    unknown_room: str | None = None
    seats_left: dict[int, int | None] = field(default_factory=dict)

    @property
    def session_count(self) -> int:
        return sum(len(slot.sessions) for day in self.days for slot in day.slots)

    @property
    def filtered(self) -> bool:
        return bool(self.track or self.room or self.unknown_track or self.unknown_room)


@dataclass(frozen=True)
class Overview:
    """The conference at a glance, for the home page."""

    session_count: int
    speaker_count: int
    exhibitor_count: int
    track_count: int
    keynotes: list[Session]


@dataclass(frozen=True)
class ExhibitorGroup:
    category: str
    exhibitors: list[Exhibitor]


class UnknownSessions(LookupError):
    """Some asked-for session slugs do not exist in the conference."""

    def __init__(self, slugs: list[str]):
        self.slugs = slugs
        super().__init__(", ".join(slugs))


def _session_query(conference: Conference):
    """Sessions of ``conference`` in programme order, with room, track and speakers loaded.

    Programme order is the one order the agenda, the exports and every printed programme
    use: by start, then by room as the venue lists them, the shorter session first.
    """
    return (
        db.select(Session)
        .join(Session.room)
        .where(Session.conference_id == conference.id)
        .options(
            contains_eager(Session.room),
            joinedload(Session.track),
            selectinload(Session.speakers),
        )
        .order_by(Session.starts_at, Room.position, Session.ends_at, Session.id)
    )


def programme_sessions(
    conference: Conference,
    track: Track | None = None,
    room: Room | None = None,
    slugs: Sequence[str] | None = None,
) -> list[Session]:
    """The sessions in programme order, optionally only those of one track and/or room.

    With ``slugs``, only those sessions; any slug that is not a session of the conference
    raises ``UnknownSessions``.
    """
    query = _session_query(conference)
    if track is not None:
        query = query.where(Session.track_id == track.id)
    if room is not None:
        query = query.where(Session.room_id == room.id)
    if slugs is not None:
        wanted = list(dict.fromkeys(slugs))
        query = query.where(Session.slug.in_(wanted))
    sessions = list(db.session.execute(query).unique().scalars())
    if slugs is not None:
        found = {session.slug for session in sessions}
        if missing := [slug for slug in wanted if slug not in found]:
            raise UnknownSessions(missing)
    return sessions


def seats_left(sessions: Sequence[Session]) -> dict[int, int | None]:
    """Free seats per session id: ``None`` for sessions without a seat limit, 0 for a
    cancelled one (nothing is left to book there).

    The one place that subtracts confirmed seat bookings (one grouped query).
    """
    limited = [session.id for session in sessions
               if session.capacity is not None and not session.cancelled]
    taken = seats_taken(limited)
    return {
        session.id: None
        if session.capacity is None
        else 0 if session.cancelled
        else max(session.capacity - taken.get(session.id, 0), 0)
        for session in sessions
    }


def tracks_of(conference: Conference) -> list[Track]:
    query = db.select(Track).where(Track.conference_id == conference.id)
    return list(db.session.execute(query.order_by(Track.position, Track.id)).scalars())


def rooms_of(conference: Conference) -> list[Room]:
    query = db.select(Room).where(Room.conference_id == conference.id)
    return list(db.session.execute(query.order_by(Room.position, Room.id)).scalars())


def group_by_day_and_time(sessions: Sequence[Session], tz_name: str) -> list[AgendaDay]:
    """Sessions (already in time order) as local days holding time slots."""
    days = []
    for day, grouped in groupby(sessions, key=lambda s: to_local(s.starts_at, tz_name).date()):
        of_day = list(grouped)
        slots = [
            TimeSlot(starts_at=starts_at, sessions=list(together))
            for starts_at, together in groupby(of_day, key=lambda s: s.starts_at)
        ]
        days.append(AgendaDay(day=day, slots=slots, grid=lay_out_day(of_day)))
    return days


def build_agenda(
    conference: Conference, track_slug: str | None = None, room_slug: str | None = None
) -> Agenda:
    """The agenda filtered by track and room slug; a slug naming nothing matches nothing."""
    tracks = tracks_of(conference)
    rooms = rooms_of(conference)
    agenda = Agenda(days=[], tracks=tracks, rooms=rooms)
    if track_slug:
        agenda.track = next((t for t in tracks if t.slug == track_slug), None)
        agenda.unknown_track = None if agenda.track else track_slug
    if room_slug:
        agenda.room = next((r for r in rooms if r.slug == room_slug), None)
        agenda.unknown_room = None if agenda.room else room_slug
    if agenda.unknown_track or agenda.unknown_room:
        return agenda
    sessions = programme_sessions(conference, agenda.track, agenda.room)
    agenda.days = group_by_day_and_time(sessions, conference.timezone)
    agenda.seats_left = seats_left(sessions)
    return agenda


def find_session(conference: Conference, slug: str) -> Session | None:
    query = _session_query(conference).where(Session.slug == slug)
    return db.session.execute(query).unique().scalar_one_or_none()


def find_room(conference: Conference, slug: str) -> Room | None:
    query = db.select(Room).where(Room.conference_id == conference.id, Room.slug == slug)
    return db.session.execute(query).scalar_one_or_none()


def overview(conference: Conference) -> Overview:
    def count(model, *conditions) -> int:
        query = db.select(db.func.count(model.id)).where(
            model.conference_id == conference.id, *conditions
        )
        return db.session.execute(query).scalar_one()

    keynotes = db.session.execute(
        _session_query(conference).where(Session.kind == "keynote")
    ).unique().scalars()
    return Overview(
        session_count=count(Session, Session.kind.not_in(PAUSE_KINDS)),
        speaker_count=count(Speaker),
        exhibitor_count=count(Exhibitor),
        track_count=count(Track),
        keynotes=list(keynotes),
    )


def alphabetical_key(name: str, lang: str) -> tuple[str, str]:
    """Sort key putting names in alphabetical order for readers of ``lang``: the speakers
    page, the API and the programme book's index.

    Chinese is ordered by its pinyin, as Chinese indexes are (``周彦青`` as ``zhou yan qing``);
    other text by its letters, regardless of case.
    """
    spelled = " ".join(lazy_pinyin(name)) if lang == "zh" else name
    return spelled.casefold(), name


def speakers_alphabetical(conference: Conference, lang: str) -> list[Speaker]:
    query = (
        db.select(Speaker)
        .where(Speaker.conference_id == conference.id)
        .options(selectinload(Speaker.sessions))
    )
    speakers = db.session.execute(query).scalars().all()
    return sorted(speakers, key=lambda s: alphabetical_key(s.t("name", lang), lang))


def find_speaker(conference: Conference, slug: str) -> Speaker | None:
    query = (
        db.select(Speaker)
        .where(Speaker.conference_id == conference.id, Speaker.slug == slug)
        .options(
            selectinload(Speaker.sessions).options(
                joinedload(Session.room), joinedload(Session.track)
            )
        )
    )
    return db.session.execute(query).scalar_one_or_none()


def booth_key(booth: str | None) -> tuple:
    """How booths sort, as visitors walk the hall: A01 < A2 < A10 < b11 < Hall 1-9 < Hall 1-10.

    Letters compare regardless of case and every run of digits as a number.
    """
    return tuple(int(part) if part.isdigit() else part.casefold()
                 for part in re.split(r"(\d+)", booth or ""))


def exhibitors_by_booth(conference: Conference) -> list[Exhibitor]:
    """The exhibitors in booth order: the exhibitors page, the API and the programme book."""
    query = db.select(Exhibitor).where(Exhibitor.conference_id == conference.id)
    exhibitors = db.session.execute(query).scalars()
    return sorted(exhibitors, key=lambda exhibitor: (booth_key(exhibitor.booth), exhibitor.id))


def exhibitor_groups(conference: Conference, lang: str) -> list[ExhibitorGroup]:
    """Exhibitors by category; categories in the order their first booth comes in the hall."""
    groups: dict[str, list[Exhibitor]] = {}
    for exhibitor in exhibitors_by_booth(conference):
        groups.setdefault(exhibitor.t("category", lang), []).append(exhibitor)
    return [ExhibitorGroup(category=name, exhibitors=items) for name, items in groups.items()]


def find_exhibitor(conference: Conference, slug: str) -> Exhibitor | None:
    query = db.select(Exhibitor).where(
        Exhibitor.conference_id == conference.id, Exhibitor.slug == slug
    )
    return db.session.execute(query).scalar_one_or_none()


def safe_web_address(address: str | None) -> str | None:
    """``address`` if it is an http(s) URL, fit to link to; never ``javascript:`` etc."""
    return address if address and WEB_ADDRESS.match(address.strip()) else None


def local_iso(value: datetime, tz_name: str) -> str:
    """A stored UTC time as ISO 8601 with the conference's offset: 2024-09-19T09:00:00+08:00."""
    return to_local(value, tz_name).isoformat()
