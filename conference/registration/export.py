"""The organiser's export of registrations: one row per person, as CSV or Excel (XLSX).

Columns: the standard fields, one per session with limited seats (the seat's status) and
one per extra question (the answer's labels, "; " between several), headed in the
organiser's language. In the CSV every text that a spreadsheet would run as a formula (it
starts with = + - @, a tab or a carriage return) is prefixed with an apostrophe; the XLSX
needs no such prefix, its text cells are stored as text and never run as formulas.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Conference, Registration, SeatBooking
from ..models.question import answer_text
from ..timefmt import to_local
from .questions import questions_of
from .validation import bookable_sessions
from .words import SEAT_WORDS, STATUS_WORDS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Most rows in one export; a conference of a few thousand fits many times over.
MAX_ROWS = 100_000


def defuse(value: Any) -> Any:
    """``value`` safe to open from a CSV file in a spreadsheet: text that would run as a
    formula gets a leading apostrophe; numbers and times pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass
class Table:
    header: list[str]
    rows: list[list[Any]]


def _local(value: datetime | None, conference: Conference) -> datetime | None:
    if value is None:
        return None
    return to_local(value, conference.timezone).replace(tzinfo=None, microsecond=0)


def registrations_table(conference: Conference, status: str | None = None) -> Table:
    """Everyone registered for ``conference`` (only ``status`` when given), in order of
    registration; times in the conference's time zone."""
    questions = questions_of(conference)
    sessions = bookable_sessions(conference)
    query = (
        db.select(Registration)
        .where(Registration.conference_id == conference.id)
        .options(
            selectinload(Registration.category),
            selectinload(Registration.answers),
            selectinload(Registration.seat_bookings).load_only(
                SeatBooking.session_id, SeatBooking.status
            ),
        )
        .order_by(Registration.id)
        .limit(MAX_ROWS)
    )
    if status:
        query = query.where(Registration.status == status)
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
    rows = []
    for registration in db.session.execute(query).scalars():
        seats = {
            b.session_id: b.status for b in registration.seat_bookings if b.status != "cancelled"
        }
        answers = {answer.question_id: answer.value for answer in registration.answers}
        rows.append(
            [
                registration.name,
                registration.email or "",
                registration.phone or "",
                registration.organisation or "",
                registration.job_title or "",
                registration.category.t("name"),
                str(STATUS_WORDS.get(registration.status, registration.status)),
                registration.language,
                registration.source,
                _local(registration.created_at, conference),
                _local(registration.checked_in_at, conference),
                *(
                    str(SEAT_WORDS[seats[session.id]]) if session.id in seats else ""
                    for session in sessions
                ),
                *(answer_text(question, answers.get(question.id)) for question in questions),
            ]
        )
    return Table(header=header, rows=rows)


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return defuse(str(value))


def to_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_csv_cell(text) for text in table.header])
    for row in table.rows:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(table: Table, title: str) -> bytes:
    """An Excel workbook with one sheet; texts are text cells, exactly as stored (none is
    ever a formula), times are real date-times."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    bold = Font(bold=True)
    header = []
    for text in table.header:
        cell = _xlsx_cell(sheet, text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        cells = []
        for value in row:
            cell = _xlsx_cell(sheet, value)
            if isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet, value: Any):
    from openpyxl.cell import WriteOnlyCell

    if not isinstance(value, str):
        return WriteOnlyCell(sheet, value=value)
    # Characters XML 1.0 cannot hold would make the file unreadable.
    text = "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 0x20)
    cell = WriteOnlyCell(sheet, value=text)
    # openpyxl would store text starting with = as a formula and "#N/A" as an error.
    cell.data_type = "s"
    return cell


def _sheet_title(title: str) -> str:
    """A worksheet title Excel accepts: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\").strip("'")
    return cleaned[:31] or "Registrations"
