"""The organiser's export of registrations: one row per person, as CSV or Excel (XLSX).

Columns: the standard fields, one per session with limited seats (the seat's status) and
one per extra question (the answer's labels, "; " between several), headed in the
organiser's language. Both are written while the registrations are read, a batch at a
time, so memory stays the same at ten thousand rows or a million.

In the CSV every text that a spreadsheet would run as a formula (it starts with = + - @,
a tab or a carriage return) is prefixed with an apostrophe; the XLSX needs no such
prefix, its text cells are stored as text and never run as formulas.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from flask_babel import gettext

from ..extensions import db
from ..models import Conference, Registration, SeatBooking
from ..models.question import Answer, answer_text
from ..timefmt import to_local
from .questions import questions_of
from .validation import bookable_sessions
from .words import SEAT_WORDS, STATUS_WORDS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH = 2_000  # registrations read per query while exporting


def defuse(value: Any) -> Any:
    """``value`` safe to open from a CSV file in a spreadsheet: text that would run as a
    formula gets a leading apostrophe; numbers and times pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass
class Table:
    """The export's heading and its rows, read lazily: ``rows`` is an iterator that reads
    the registrations a batch at a time, so an export of any size holds one batch in
    memory."""

    header: list[str]
    rows: Iterator[list[Any]]


def _local(value: datetime | None, conference: Conference) -> datetime | None:
    if value is None:
        return None
    return to_local(value, conference.timezone).replace(tzinfo=None, microsecond=0)


def registrations_table(conference: Conference, status: str | None = None) -> Table:
    """Everyone registered for ``conference`` (only ``status`` when given), in order of
    registration; times in the conference's time zone."""
    questions = questions_of(conference)
    sessions = bookable_sessions(conference)
    header = [
        gettext("Name"),
        gettext("E-mail"),
        gettext("Phone"),
        gettext("Organisation"),
        gettext("Job title"),
        gettext("Category"),
        gettext("Status"),
        gettext("Language"),
        gettext("Source"),
        gettext("Registered"),
        gettext("Checked in"),
        *(session.t("title") for session in sessions),
        *(question.t("label") or question.code for question in questions),
    ]
    categories = {category.id: category.t("name") for category in conference.categories}
    statuses = {key: str(word) for key, word in STATUS_WORDS.items()}
    seat_words = {key: str(word) for key, word in SEAT_WORDS.items()}

    def row(registration: Registration, seats: dict[int, str], answers: dict[int, Any]):
        return [
            registration.name,
            registration.email or "",
            registration.phone or "",
            registration.organisation or "",
            registration.job_title or "",
            categories.get(registration.category_id, ""),
            statuses.get(registration.status, registration.status),
            registration.language,
            registration.source,
            _local(registration.created_at, conference),
            _local(registration.checked_in_at, conference),
            *(seat_words[seats[session.id]] if session.id in seats else "" for session in sessions),
            *(answer_text(question, answers.get(question.id)) for question in questions),
        ]

    def rows() -> Iterator[list[Any]]:
        for batch in _batches(conference, status):
            # The batch's id range, not its ids: one range condition instead of thousands
            # of parameters (rows of others in that range are looked up and left unused).
            seats: dict[int, dict[int, str]] = {}
            for registration_id, session_id, seat in db.session.execute(
                db.select(SeatBooking.registration_id, SeatBooking.session_id, SeatBooking.status)
                .where(SeatBooking.registration_id.between(batch[0].id, batch[-1].id),
                       SeatBooking.status != "cancelled")
            ):
                seats.setdefault(registration_id, {})[session_id] = seat
            answers: dict[int, dict[int, Any]] = {}
            for registration_id, question_id, value in db.session.execute(
                db.select(Answer.registration_id, Answer.question_id, Answer.value)
                .where(Answer.registration_id.between(batch[0].id, batch[-1].id))
            ):
                answers.setdefault(registration_id, {})[question_id] = value
            for registration in batch:
                yield row(registration, seats.get(registration.id, {}),
                          answers.get(registration.id, {}))

    return Table(header=header, rows=rows())


def _batches(conference: Conference, status: str | None) -> Iterator[list[Registration]]:
    """The registrations in order of id, BATCH at a time (keyset pagination: each batch
    starts after the last id of the one before), as plain rows the session forgets."""
    columns = [getattr(Registration, name) for name in (
        "id", "name", "email", "phone", "organisation", "job_title", "category_id", "status",
        "language", "source", "created_at", "checked_in_at")]
    after = 0
    while True:
        query = (
            db.select(*columns)
            .where(Registration.conference_id == conference.id, Registration.id > after)
            .order_by(Registration.id)
            .limit(BATCH)
        )
        if status:
            query = query.where(Registration.status == status)
        batch = db.session.execute(query).all()
        if not batch:
            return
        yield batch
        after = batch[-1].id


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return defuse(str(value))


def csv_chunks(table: Table) -> Iterator[bytes]:
    """The CSV file a few hundred rows at a time: UTF-8 with a byte-order mark, so Excel
    shows Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_csv_cell(text) for text in table.header])
    first = True
    for number, row in enumerate(table.rows, start=1):
        writer.writerow([_csv_cell(value) for value in row])
        if number % 500 == 0:
            yield _take(buffer, first)
            first = False
    yield _take(buffer, first)


def _take(buffer: io.StringIO, first: bool) -> bytes:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode("utf-8-sig" if first else "utf-8")


def write_xlsx(table: Table, title: str, target: IO[bytes]) -> None:
    """An Excel workbook with one sheet, written row by row to ``target`` (XlsxWriter's
    constant-memory mode). Texts are text cells exactly as stored — never a formula, a
    link or a number — and times are real date-times."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(target, {
        "constant_memory": True, "in_memory": False,
        "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
    })
    sheet = workbook.add_worksheet(_sheet_title(title))
    bold = workbook.add_format({"bold": True})
    when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for column, text in enumerate(table.header):
        sheet.write_string(0, column, _xml_text(str(text)), bold)
    for number, row in enumerate(table.rows, start=1):
        for column, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, datetime):
                sheet.write_datetime(number, column, value, when)
            elif isinstance(value, bool | int | float):
                sheet.write_number(number, column, value)
            else:
                sheet.write_string(number, column, _xml_text(str(value)))
    workbook.close()


def _xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot hold (they would make the file
    unreadable)."""
    if value.isprintable():
        return value
    return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 0x20)


def _sheet_title(title: str) -> str:
    """A worksheet title Excel accepts: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\").strip("'")
    return cleaned[:31] or "Registrations"
