"""Badges in bulk: choose registrations, render them in chunks on several processes and
write one PDF to disk.

The parent process builds each chunk's HTML (it needs the database and the templates);
worker processes only turn HTML into PDF pages, each keeping one font configuration for
all its chunks. Chunks hold whole sheets, so a card's place on its sheet is the same as in
one long document. Finished chunks are appended in order to the output file, so neither
WeasyPrint nor the parent ever holds the whole job's layout in memory.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from flask_babel import force_locale
from pypdf import PdfWriter
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import AttendeeCategory, Conference, Registration
from ..pdf import render_file
from .layouts import BadgeLayout
from .render import badge_stylesheet, badges_html

SORTS = ("name", "organisation", "registered")
DEFAULT_STATUSES = ("confirmed",)
CHUNK_BADGES = 48  # about what one worker lays out in a second
DEFAULT_PROCESSES = 2
# Worker processes take about half a second to start and each holds its own copy of the
# fonts (about 350 MiB more in all), so they pay off only from about 5 chunks' work, a
# side of a chunk's sheets counting as one (bench/pdf.py: 200 A6 badges, 2.3 s in one
# process against 1.9 s in two; 100, 1.4 s either way; 60, 1.05 s against 1.3 s).
POOL_FROM_CHUNKS = 5

Progress = Callable[[int, int], None]


class BadgeSelectionError(ValueError):
    """The filters name something that does not exist."""


class NothingSelected(BadgeSelectionError):
    """The filters match no registration: there is nothing to print."""

    def __init__(self) -> None:
        super().__init__("no registration matches these filters")


def find_conference(slug: str | None) -> Conference:
    """The conference called ``slug``, or the only (newest) one when no slug is given."""
    query = db.select(Conference)
    if slug:
        query = query.where(Conference.slug == slug)
    conference = db.session.execute(query.order_by(Conference.id.desc()).limit(1)).scalar()
    if conference is None:
        raise BadgeSelectionError(f"no conference {slug!r}" if slug else "no conference loaded")
    return conference


def select_registrations(
    conference: Conference,
    categories: Sequence[str] = (),
    statuses: Sequence[str] = DEFAULT_STATUSES,
    sort: str = "name",
) -> list[Registration]:
    """Registrations of ``conference`` in ``categories`` (codes; all when empty) with one of
    ``statuses``, sorted by name, organisation (then name) or registration time."""
    if sort not in SORTS:
        raise BadgeSelectionError(f"unknown sort {sort!r}; choose one of {', '.join(SORTS)}")
    query = (
        db.select(Registration)
        .where(Registration.conference_id == conference.id)
        .options(selectinload(Registration.category), selectinload(Registration.conference))
    )
    if categories:
        known = set(db.session.execute(
            db.select(AttendeeCategory.code)
            .where(AttendeeCategory.conference_id == conference.id)
        ).scalars())
        unknown = sorted(set(categories) - known)
        if unknown:
            raise BadgeSelectionError(
                f"unknown category {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        query = query.join(Registration.category).where(AttendeeCategory.code.in_(categories))
    if statuses:
        query = query.where(Registration.status.in_(statuses))
    order = {
        "name": (Registration.name, Registration.id),
        "organisation": (Registration.organisation, Registration.name, Registration.id),
        "registered": (Registration.created_at, Registration.id),
    }[sort]
    return list(db.session.execute(query.order_by(*order)).scalars())


# Parent side -----------------------------------------------------------------------------


def chunk_size(layout: BadgeLayout, badges: int = CHUNK_BADGES) -> int:
    """Badges per chunk: whole sheets, about ``badges`` of them."""
    return max(1, round(badges / layout.per_page)) * layout.per_page


def _chunks(items: Sequence[Registration], size: int) -> Iterable[Sequence[Registration]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def render_badges_to_file(
    registrations: Sequence[Registration],
    lang: str,
    layout: BadgeLayout,
    target: str | os.PathLike,
    progress: Progress | None = None,
    processes: int = DEFAULT_PROCESSES,
    chunk_badges: int = CHUNK_BADGES,
    back: bool = False,
    pool_from_chunks: int = POOL_FROM_CHUNKS,
) -> int:
    """Render the badges of ``registrations`` to the PDF file ``target``; returns pages.

    Needs an app context. With ``processes`` > 1 and at least ``pool_from_chunks`` chunks'
    work (a back side counting as a chunk), chunks are laid out by a pool of worker
    processes while this process builds the next chunks' HTML; a smaller job is laid out
    here, which is faster.
    With ``back``, every sheet is followed by its back side (for duplex printing).
    Raises ``NothingSelected`` for no registrations: a PDF has at least one page.
    """
    if not registrations:
        raise NothingSelected()
    total = len(registrations)
    with force_locale(lang):
        css = badge_stylesheet(layout, registrations[0].conference)
    size = chunk_size(layout, chunk_badges)
    chunks = list(_chunks(registrations, size))
    target = Path(target)
    done = 0
    if progress:
        progress(0, total)
    pool: ProcessPoolExecutor | None = None
    with tempfile.TemporaryDirectory(prefix="badges-") as scratch:
        parts: list[tuple[Path, int]] = []  # (file, pages)
        try:
            sides = 2 if back else 1
            if processes <= 1 or len(chunks) <= 1 or len(chunks) * sides < pool_from_chunks:
                for number, chunk in enumerate(chunks):
                    part = Path(scratch) / f"{number:05d}.pdf"
                    pages = render_file(badges_html(chunk, lang, layout, back, stylesheet=False),
                                        str(part), css)
                    parts.append((part, pages))
                    done += len(chunk)
                    if progress:
                        progress(done, total)
            else:
                context = multiprocessing.get_context("spawn")
                pending: deque[tuple[Future, Path, int]] = deque()
                pool = ProcessPoolExecutor(max_workers=processes, mp_context=context)
                try:
                    for number, chunk in enumerate(chunks):
                        part = Path(scratch) / f"{number:05d}.pdf"
                        html = badges_html(chunk, lang, layout, back, stylesheet=False)
                        pending.append((pool.submit(render_file, html, str(part), css), part,
                                        len(chunk)))
                        del html
                        while len(pending) > processes:  # keep the workers fed, no more
                            done = _collect(pending.popleft(), parts, done, total, progress)
                    while pending:
                        done = _collect(pending.popleft(), parts, done, total, progress)
                finally:
                    # The workers are idle now: let them exit while the parts are joined.
                    pool.shutdown(wait=False, cancel_futures=True)
            return _concatenate(parts, target)
        finally:
            if pool is not None:
                # Gone before returning: the next job never shares memory with these.
                pool.shutdown(wait=True)


def _collect(entry: tuple[Future, Path, int], parts: list[tuple[Path, int]], done: int,
             total: int, progress: Progress | None) -> int:
    future, part, count = entry
    parts.append((part, future.result()))
    done += count
    if progress:
        progress(done, total)
    return done


def _concatenate(parts: Sequence[tuple[Path, int]], target: Path) -> int:
    """Join the chunk PDFs into ``target`` (written next to it, then moved into place).

    Uses poppler's ``pdfunite`` when it is installed (several times faster on thousands
    of pages), pypdf otherwise.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    pages = sum(count for _, count in parts)
    if len(parts) == 1:
        os.replace(parts[0][0], target)
        return pages
    partial = target.with_name(target.name + ".part")
    unite = shutil.which("pdfunite")
    if unite:
        subprocess.run([unite, *(str(part) for part, _ in parts), str(partial)], check=True,
                       capture_output=True)
    else:
        writer = PdfWriter()
        for part, _ in parts:
            writer.append(str(part))
        with open(partial, "wb") as out:
            writer.write(out)
    os.replace(partial, target)
    return pages
