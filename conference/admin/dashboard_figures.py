"""The live dashboard's figures: arrivals per five minutes (by gate and by category),
registrations per day, and how full each category and limited session is.

Every figure is counted by the database, grouped into time buckets there, so a poll costs
the same with a hundred attendees or a hundred thousand: rows come back per bucket and
gate, never per attendee. "Arrivals" are first admissions at the main door
(``Registration.checked_in_at``); re-entries and room doors do not count again.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Integer, cast, func

from ..extensions import db
from ..models import Conference, Registration
from ..models.base import utcnow
from ..models.seating import seats_taken
from ..registration.seats import PLACE_HOLDING_STATUSES
from ..timefmt import to_local

BUCKET = timedelta(minutes=5)
WINDOW = timedelta(hours=8)  # the arrivals chart's span at most
LIVE = timedelta(hours=12)  # arrivals this recent: the chart ends now, else at the last one
MAX_DAYS = 120  # the registrations chart's span at most
EPOCH = datetime(1970, 1, 1)


def _epoch_seconds(column):
    """Whole seconds since 1970 of a naive UTC timestamp column, on SQLite and PostgreSQL."""
    if db.session.get_bind().dialect.name == "sqlite":
        return cast(func.strftime("%s", column), Integer)
    return cast(func.extract("epoch", func.date_trunc("second", column)), Integer)


def _bucketed(column, seconds: int, offset: int = 0):
    """The number of the ``seconds``-long bucket ``column`` falls in (shifted by ``offset``):
    a whole-number division in the database (every time here is after 1970)."""
    return (_epoch_seconds(column) + offset).self_group().op("/")(seconds)


def _totals(conference: Conference):
    """One pass over the conference's registrations: the first and last arrival, and how
    many confirmed registrations there are and have arrived."""
    confirmed = Registration.status == "confirmed"
    return db.session.execute(
        db.select(func.min(Registration.checked_in_at).label("first"),
                  func.max(Registration.checked_in_at).label("last"),
                  func.count(Registration.checked_in_at).filter(confirmed).label("checked_in"),
                  func.count(Registration.id).filter(confirmed).label("expected"))
        .where(Registration.conference_id == conference.id)
    ).one()


def _window(first: datetime | None, last: datetime | None, now: datetime
            ) -> tuple[datetime, datetime] | None:
    if last is None:
        return None
    end = now if now - last <= LIVE else last
    start = max(end - WINDOW, first)
    step = int(BUCKET.total_seconds())
    start = EPOCH + timedelta(seconds=int((start - EPOCH).total_seconds()) // step * step)
    return start, end


def arrivals(conference: Conference, now: datetime, first: datetime | None, last: datetime | None
             ) -> dict[str, Any]:
    """Arrivals per five minutes by gate and by category, over the chart's window (from
    the ``first`` and ``last`` arrival)."""
    window = _window(first, last, now)
    if window is None:
        return {"labels": [], "gates": [], "categories": [], "total": 0}
    start, end = window
    step = int(BUCKET.total_seconds())
    first_bucket = int((start - EPOCH).total_seconds()) // step
    count = int((end - start).total_seconds()) // step + 1
    bucket = _bucketed(Registration.checked_in_at, step).label("bucket")
    in_window = (Registration.conference_id == conference.id, Registration.checked_in_at >= start)

    # One pass over the window's arrivals, grouped by bucket, gate and category together
    # (at most buckets x gates x categories rows); both series are summed up from it.
    by_gate: dict[Any, list[int]] = {}
    by_category: dict[Any, list[int]] = {}
    rows = db.session.execute(
        db.select(bucket, Registration.checked_in_gate, Registration.category_id, func.count())
        .where(*in_window)
        .group_by(bucket, Registration.checked_in_gate, Registration.category_id)
    )
    for number, gate, category_id, amount in rows:
        index = number - first_bucket
        if 0 <= index < count:
            by_gate.setdefault(gate, [0] * count)[index] += amount
            by_category.setdefault(category_id, [0] * count)[index] += amount

    categories = {c.id: c for c in conference.categories}
    labels = [f"{to_local(start + BUCKET * i, conference.timezone):%H:%M}" for i in range(count)]
    return {
        "labels": labels,
        "gates": [{"name": gate or "", "counts": counts}
                  for gate, counts in sorted(by_gate.items(), key=lambda item: item[0] or "")],
        "categories": [
            {"name": categories[cid].t("name") if cid in categories else "?",
             "colour": categories[cid].colour if cid in categories else "#888888", "counts": counts}
            for cid, counts in sorted(by_category.items(),
                                      key=lambda item: categories[item[0]].position if item[0] in categories else 0)
        ],
        "total": sum(sum(counts) for counts in by_gate.values()),
    }


def registrations_per_day(conference: Conference) -> list[dict[str, Any]]:
    """New registrations on each day (in the conference's time zone), from the first day
    with any to the last (days without any count 0), at most ``MAX_DAYS`` of them."""
    offset = int(to_local(datetime.combine(conference.starts_on, datetime.min.time()),
                          conference.timezone).utcoffset().total_seconds())
    day = _bucketed(Registration.created_at, 86400, offset).label("day")
    rows = db.session.execute(
        db.select(day, func.count()).where(Registration.conference_id == conference.id)
        .group_by(day).order_by(day)
    )
    counts = dict(rows.all())
    if not counts:
        return []
    last = max(counts)
    first = max(min(counts), last - MAX_DAYS + 1)
    return [{"day": (EPOCH + timedelta(days=number)).date().isoformat(), "count": counts.get(number, 0)}
            for number in range(first, last + 1)]


def category_gauges(conference: Conference) -> list[dict[str, Any]]:
    taken = dict(db.session.execute(
        db.select(Registration.category_id, func.count())
        .where(Registration.conference_id == conference.id,
               Registration.status.in_(PLACE_HOLDING_STATUSES))
        .group_by(Registration.category_id)
    ).all())
    return [_gauge(c.t("name"), taken.get(c.id, 0), c.capacity, c.colour)
            for c in sorted(conference.categories, key=lambda c: c.position)]


def session_gauges(conference: Conference) -> list[dict[str, Any]]:
    limited = [s for s in conference.sessions if s.capacity is not None]
    taken = seats_taken([s.id for s in limited])
    return [{**_gauge(s.t("title"), taken.get(s.id, 0), s.capacity),
             "starts": f"{to_local(s.starts_at, conference.timezone):%m-%d %H:%M}"}
            for s in limited]


def _gauge(name: str, taken: int, capacity: int | None, colour: str | None = None) -> dict[str, Any]:
    return {"name": name, "taken": taken, "capacity": capacity, "colour": colour}


def dashboard_figures(conference: Conference, now: datetime | None = None) -> dict[str, Any]:
    now = now or utcnow()
    totals = _totals(conference)
    return {
        "generated_at": now.replace(tzinfo=UTC).isoformat(),
        "checked_in": totals.checked_in,
        "expected": totals.expected,
        "arrivals": arrivals(conference, now, totals.first, totals.last),
        "registrations_per_day": registrations_per_day(conference),
        "category_gauges": category_gauges(conference),
        "session_gauges": session_gauges(conference),
    }

