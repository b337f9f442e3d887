"""The printed programme book, and the day-by-day session lists room signs and personal
agendas print.

``programme_html`` builds the book (its contents are gathered in ``book.py``) and
``programme_pdf`` renders it through the shared renderer, whose in-memory cache is keyed
by a digest of that document — any change to the programme gives a fresh PDF, an
unchanged programme is served from memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from babel.dates import format_date
from flask import render_template
from flask_babel import force_locale

from ..colours import safe_colour
from ..models import Conference, Session, Track
from ..pdf import BABEL_LOCALES, print_base_url, render_pdf_cached
from ..public.labels import kind_label
from ..public.service import exhibitors_by_booth, programme_sessions, rooms_of
from ..timefmt import to_local
from . import book
from .book import QUIET_KINDS, time_range


@dataclass(frozen=True)
class PageSize:
    code: str
    width: int  # mm
    height: int
    margin: str  # CSS margin of @page
    font_size: float  # pt
    grid_font: str = "0.85rem"  # the timetable's text
    time_column: str = "14mm"


PAGE_SIZES: dict[str, PageSize] = {
    "A4": PageSize("A4", 210, 297, "18mm 15mm 16mm", 9.5, "0.85rem", "15mm"),
    "A5": PageSize("A5", 148, 210, "14mm 10mm 13mm", 8.0, "0.8rem", "11mm"),
}


@dataclass(frozen=True)
class PrintedSpeaker:
    name: str
    organisation: str


@dataclass(frozen=True)
class PrintedSession:
    time_range: str
    new_time: bool  # the first session starting at this time (parallel ones follow)
    title: str
    kind: str
    kind_label: str
    room: str
    track: str
    track_colour: str | None
    speakers: list[PrintedSpeaker]
    second_title: str = ""  # the title in the other language, when printing both
    cancelled: bool = False

    @property
    def quiet(self) -> bool:
        return self.kind in QUIET_KINDS and not self.speakers


@dataclass
class PrintedDay:
    day: date
    heading: str
    sessions: list[PrintedSession] = field(default_factory=list)


def _printed_session(session: Session, tz: str, lang: str, new_time: bool,
                     second_lang: str | None = None) -> PrintedSession:
    starts, ends = to_local(session.starts_at, tz), to_local(session.ends_at, tz)
    track: Track | None = session.track
    return PrintedSession(
        time_range=time_range(starts, ends),
        new_time=new_time,
        title=session.t("title", lang),
        kind=session.kind,
        kind_label=kind_label(session.kind),
        room=session.room.t("name", lang),
        track=track.t("name", lang) if track else "",
        track_colour=safe_colour(track.colour) if track else None,
        speakers=[
            PrintedSpeaker(s.t("name", lang), s.t("organisation", lang)) for s in session.speakers
        ],
        second_title=session.t("title", second_lang) if second_lang else "",
        cancelled=session.cancelled,
    )


def programme_days(
    conference: Conference, lang: str, sessions: Sequence[Session] | None = None,
    second_lang: str | None = None,
) -> list[PrintedDay]:
    """``sessions`` (default: all of the conference's) grouped by local day, in time order."""
    if sessions is None:
        sessions = programme_sessions(conference)
    locale = BABEL_LOCALES.get(lang, "en_GB")
    days: dict[date, PrintedDay] = {}
    previous_start = None
    for session in sessions:
        local_day = to_local(session.starts_at, conference.timezone).date()
        if local_day not in days:
            days[local_day] = PrintedDay(local_day, format_date(local_day, "full", locale=locale))
            previous_start = None
        new_time = session.starts_at != previous_start
        previous_start = session.starts_at
        days[local_day].sessions.append(
            _printed_session(session, conference.timezone, lang, new_time, second_lang)
        )
    return list(days.values())


def programme_html(
    conference: Conference,
    lang: str,
    size: str = "A4",
    sessions: Sequence[Session] | None = None,
) -> str:
    """The programme book (``templates/pdf/programme.html``) in ``lang`` ('zh', 'en', or
    'both': Chinese with English beside it) on ``size`` paper."""
    langs = book.book_languages(lang)
    if sessions is None:
        sessions = programme_sessions(conference)
    tracks = [t for t in conference.tracks if safe_colour(t.colour)]
    track_classes = {t.id: f"t{index}" for index, t in enumerate(tracks, start=1)}
    words = book.labels(langs)
    with force_locale(langs[0]):
        return render_template(
            "pdf/programme.html",
            conference=conference,
            lang=langs[0],
            other_lang=langs[1] if len(langs) > 1 else None,
            langs=langs,
            page=PAGE_SIZES[size],
            words=words,
            name=book.text(conference, "name", langs),
            slogan=book.text(conference, "slogan", langs),
            venue=book.text(conference, "venue", langs),
            address=book.text(conference, "address", langs),
            dates=book.cover_dates(conference, langs),
            tracks=[(track_classes[t.id], book.text(t, "name", langs), t.colour,
                     book.tint(t.colour)) for t in tracks],
            days=book.book_days(conference, sessions, langs, track_classes),
            speakers=book.speaker_index(conference, langs),
            exhibitors=[(e.booth, book.text(e, "name", langs), book.text(e, "category", langs),
                         book.text(e, "description", langs), e.logo)
                        for e in exhibitors_by_booth(conference)],
            rooms=[(book.text(r, "name", langs), book.text(r, "location", langs), r.capacity)
                   for r in rooms_of(conference)],
        )


def programme_pdf(conference: Conference, lang: str, size: str = "A4") -> bytes:
    """The whole programme of ``conference`` as a PDF in ``lang`` on ``size`` (A4, A5)."""
    return render_pdf_cached(programme_html(conference, lang, size), print_base_url())
