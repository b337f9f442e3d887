"""Where each session of a day goes in the agenda's wide-screen grid.

The grid has a time column, then one column per room that holds parallel sessions. A
session that overlaps no other one (an opening, a lunch) spans every room column; the
others sit in their room's column. Grid lines follow every start and end time, so a
90-minute forum spans the rows of the two talks given beside it. On phones the same
markup is a plain list in time order and none of this is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ..models import Session

FIRST_ROOM_COLUMN = 2  # column 1 holds the times


@dataclass(frozen=True)
class Placement:
    row: str  # a CSS grid-row value, e.g. "3 / 5"
    column: str  # a CSS grid-column value, e.g. "4" or "2 / -1"


@dataclass(frozen=True)
class DayGrid:
    room_columns: int
    placements: dict[int, Placement]  # by session id
    time_rows: dict[datetime, int]  # grid line of each start time (naive UTC)


def _overlap(a: Session, b: Session) -> bool:
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def lay_out_day(sessions: Sequence[Session]) -> DayGrid:
    """Grid positions for one day's ``sessions`` (in time order, then room order)."""
    boundaries = sorted({s.starts_at for s in sessions} | {s.ends_at for s in sessions})
    line = {moment: index + 1 for index, moment in enumerate(boundaries)}

    # Lanes: one per room holding parallel sessions, another one if a room is double-booked.
    lanes: dict[tuple[int, int, int], list[Session]] = {}
    lane_of: dict[int, tuple[int, int, int]] = {}
    for session in sessions:
        if not any(other is not session and _overlap(session, other) for other in sessions):
            continue
        number = 0
        while any(
            _overlap(session, held)
            for held in lanes.get((session.room.position, session.room_id, number), [])
        ):
            number += 1
        key = (session.room.position, session.room_id, number)
        lanes.setdefault(key, []).append(session)
        lane_of[session.id] = key

    column_of = {key: FIRST_ROOM_COLUMN + index for index, key in enumerate(sorted(lanes))}
    placements = {}
    for session in sessions:
        row = f"{line[session.starts_at]} / {line[session.ends_at]}"
        key = lane_of.get(session.id)
        column = str(column_of[key]) if key else f"{FIRST_ROOM_COLUMN} / -1"
        placements[session.id] = Placement(row=row, column=column)
    return DayGrid(
        room_columns=len(lanes),
        placements=placements,
        time_rows={s.starts_at: line[s.starts_at] for s in sessions},
    )
