"""The programme book: what ``templates/pdf/programme.html`` prints, as plain values.

The book has a cover, a table of contents, the agenda day by day as a timetable (parallel
rooms side by side), one entry per session with its abstract and speakers, a speaker
index, the exhibitors by booth and a venue and room guide. Printed in Chinese, English,
or both (Chinese first, English beside or under it).

Every text is a ``Bi``: the text in the main language and, when printing both, the same
text in the other language (empty when the two are identical).

The timetable groups a day's sessions into *blocks* of sessions that overlap in time.
A block of one session is printed across the whole width (opening, breaks, keynotes);
a block of several is a grid with a column per room and a row per start time, a long
session spanning the rows it lasts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from babel.dates import format_date, format_skeleton
from flask_babel import force_locale, gettext
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Conference, Session, Speaker
from ..pdf import BABEL_LOCALES, print_dates
from ..public.labels import kind_label
from ..public.service import alphabetical_key
from ..timefmt import to_local

QUIET_KINDS = ("break", "networking")  # printed as a single line without speakers
BOTH = "both"


@dataclass(frozen=True)
class Bi:
    """A text in the main language, and in the other one when printing both."""

    main: str
    other: str = ""

    def __bool__(self) -> bool:
        return bool(self.main or self.other)

    def __str__(self) -> str:
        return f"{self.main} {self.other}" if self.other else self.main


def book_languages(lang: str) -> tuple[str, ...]:
    """'zh' → ('zh',); 'both' → ('zh', 'en')."""
    return ("zh", "en") if lang == BOTH else (lang,)


def _bi(values: Sequence[str]) -> Bi:
    main = values[0] or ""
    other = values[1] if len(values) > 1 else ""
    return Bi(main, "" if not other or other == main else other)


def text(model, field_name: str, langs: Sequence[str]) -> Bi:
    return _bi([model.t(field_name, lang) for lang in langs])


def tint(colour: str, share: float = 0.14) -> str:
    """``colour`` mixed with white (``share`` of the colour left): a light cell background."""
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - c) * share):02x}" for c in (red, green, blue))


def time_range(starts: datetime, ends: datetime) -> str:
    """09:00–09:30 (local times)."""
    return f"{starts:%H:%M}–{ends:%H:%M}"


def _labels() -> dict[str, str]:
    return {
        "programme": gettext("Programme"),
        "contents": gettext("Contents"),
        "agenda": gettext("Agenda"),
        "sessions": gettext("Sessions"),
        "speakers": gettext("Speakers"),
        "exhibitors": gettext("Exhibitors"),
        "venue_guide": gettext("Venue and rooms"),
        "date": gettext("Date"),
        "venue": gettext("Venue"),
        "address": gettext("Address"),
        "wifi": gettext("Wi-Fi"),
        "password": gettext("Password"),
        "time": gettext("Time"),
        "room": gettext("Room"),
        "location": gettext("Location"),
        "capacity": gettext("Capacity"),
        "booth": gettext("Booth"),
        "exhibitor": gettext("Exhibitor"),
        "tracks": gettext("Tracks"),
        "demo": gettext("Demo data: the agenda, speakers, booths and venue details shown "
                        "here are invented for demonstration."),
        "unpublished": gettext("The programme has not been published yet."),
        "cancelled": gettext("Cancelled"),
    }


def labels(langs: Sequence[str]) -> dict[str, Bi]:
    per_language = []
    for lang in langs:
        with force_locale(lang):
            per_language.append(_labels())
    return {key: _bi([words[key] for words in per_language]) for key in per_language[0]}


@dataclass(frozen=True)
class BookSpeaker:
    name: Bi
    organisation: str


@dataclass
class BookSession:
    starts: datetime
    ends: datetime
    time_range: str
    title: Bi
    abstract: Bi
    kind: str
    kind_label: Bi
    room_id: int
    room: Bi
    track: Bi
    track_class: str  # "t3", or "" without a track colour
    speakers: list[BookSpeaker]
    cancelled: bool = False

    @property
    def quiet(self) -> bool:
        return self.kind in QUIET_KINDS and not self.speakers


@dataclass(frozen=True)
class GridCell:
    session: BookSession | None  # None: an empty cell
    rowspan: int = 1


@dataclass
class GridRow:
    time: str
    cells: list[GridCell]  # cells covered by a longer session above are left out


@dataclass
class Block:
    plenary: BookSession | None = None  # a session with nothing in parallel
    rows: list[GridRow] = field(default_factory=list)


@dataclass
class BookDay:
    anchor: str
    heading: Bi
    rooms: list[Bi]  # the grid's columns
    blocks: list[Block]
    sessions: list[BookSession]


@dataclass(frozen=True)
class IndexEntry:
    anchor: str
    initial: str
    name: Bi
    title: Bi
    organisation: Bi
    bio: Bi
    # (when, title, cancelled): "09:45", or "14 Oct 09:45" over days
    sessions: list[tuple[str, Bi, bool]]
    photo: str | None = None  # the stored photo's name (under /uploads/)


def _overlapping_blocks(sessions: list[BookSession]) -> list[list[BookSession]]:
    """``sessions`` (in start order) cut into runs that overlap in time."""
    blocks: list[list[BookSession]] = []
    block_end = None
    for session in sessions:
        if blocks and block_end is not None and session.starts < block_end:
            blocks[-1].append(session)
            block_end = max(block_end, session.ends)
        else:
            blocks.append([session])
            block_end = session.ends
    return blocks


def _grid_rows(block: list[BookSession], columns: list[int]) -> list[GridRow]:
    starts = sorted({session.starts for session in block})
    position = {room_id: index for index, room_id in enumerate(columns)}
    placed: dict[tuple[int, int], GridCell] = {}
    covered: set[tuple[int, int]] = set()
    for session in block:
        row = starts.index(session.starts)
        column = position[session.room_id]
        if (row, column) in placed or (row, column) in covered:
            continue  # two sessions in one room at once: the first one is printed
        span = sum(1 for start in starts[row:] if start < session.ends)
        placed[(row, column)] = GridCell(session, span)
        covered.update((row + extra, column) for extra in range(1, span))
    rows = []
    for row, start in enumerate(starts):
        cells = []
        for column in range(len(columns)):
            if (row, column) in covered:
                continue
            cells.append(placed.get((row, column), GridCell(None)))
        rows.append(GridRow(f"{start:%H:%M}", cells))
    return rows


def _book_day(day: date, sessions: list[BookSession], rooms: dict[int, tuple[int, Bi]],
              langs: Sequence[str]) -> BookDay:
    blocks = _overlapping_blocks(sessions)
    column_ids = sorted(
        {session.room_id for block in blocks if len(block) > 1 for session in block},
        key=lambda room_id: rooms[room_id][0],
    )
    printed = []
    for block in blocks:
        if len(block) == 1:
            printed.append(Block(plenary=block[0]))
        else:
            printed.append(Block(rows=_grid_rows(block, column_ids)))
    heading = _bi([format_date(day, "full", locale=BABEL_LOCALES[lang]) for lang in langs])
    return BookDay(
        anchor=f"day-{day:%Y%m%d}",
        heading=heading,
        rooms=[rooms[room_id][1] for room_id in column_ids],
        blocks=printed,
        sessions=sessions,
    )


def book_days(conference: Conference, sessions: Sequence[Session], langs: Sequence[str],
              track_classes: dict[int, str]) -> list[BookDay]:
    rooms = {room.id: (room.position, text(room, "name", langs)) for room in conference.rooms}
    kinds: dict[str, Bi] = {}
    for kind in {session.kind for session in sessions}:
        spelled = []
        for lang in langs:
            with force_locale(lang):
                spelled.append(kind_label(kind))
        kinds[kind] = _bi(spelled)
    by_day: dict[date, list[BookSession]] = {}
    for session in sessions:
        starts = to_local(session.starts_at, conference.timezone)
        ends = to_local(session.ends_at, conference.timezone)
        track = session.track
        by_day.setdefault(starts.date(), []).append(BookSession(
            starts=starts,
            ends=ends,
            time_range=time_range(starts, ends),
            title=text(session, "title", langs),
            abstract=text(session, "abstract", langs),
            kind=session.kind,
            kind_label=kinds[session.kind],
            room_id=session.room_id,
            room=rooms[session.room_id][1],
            track=text(track, "name", langs) if track else Bi(""),
            track_class=track_classes.get(session.track_id or 0, ""),
            speakers=[
                BookSpeaker(text(speaker, "name", langs),
                            speaker.t("organisation", langs[0]))
                for speaker in session.speakers
            ],
            cancelled=session.cancelled,
        ))
    return [_book_day(day, day_sessions, rooms, langs)
            for day, day_sessions in sorted(by_day.items())]


def speaker_index(conference: Conference, langs: Sequence[str]) -> list[IndexEntry]:
    """The speakers sorted by name (pinyin for Chinese), each with their sessions' times.

    Sessions are named by time (with the date when the conference lasts several days)
    rather than by page: the session pages are in time order, and a page reference would
    make WeasyPrint lay out every index page again once the page numbers are known.
    """
    speakers = db.session.execute(
        db.select(Speaker)
        .where(Speaker.conference_id == conference.id)
        .options(selectinload(Speaker.sessions))
    ).scalars().all()
    locale = BABEL_LOCALES[langs[0]]
    several_days = conference.starts_on != conference.ends_on

    def when(session: Session) -> str:
        starts = to_local(session.starts_at, conference.timezone)
        if several_days:
            return f"{format_skeleton('MMMd', starts, locale=locale)} {starts:%H:%M}"
        return f"{starts:%H:%M}"

    entries = []
    for speaker in speakers:
        name = text(speaker, "name", langs)
        key = alphabetical_key(name.main, langs[0])
        initial = key[0][:1].upper()
        entries.append((key, IndexEntry(
            anchor=f"p-{speaker.id}",
            initial=initial if initial.isascii() and initial.isalpha() else "#",
            name=name,
            title=text(speaker, "title", langs),
            organisation=text(speaker, "organisation", langs),
            bio=text(speaker, "bio", langs),
            sessions=[(when(session), Bi(session.t("title", langs[0])), session.cancelled)
                      for session in speaker.sessions],
            photo=speaker.photo,
        )))
    return [entry for _, entry in sorted(entries, key=lambda item: item[0])]


def cover_dates(conference: Conference, langs: Sequence[str]) -> Bi:
    return _bi([print_dates(conference, lang) for lang in langs])
