"""Edits racing other writes on PostgreSQL, with real threads: two organisers saving the
same room at once (one is refused as stale, never both written), and a capacity lowered
while people book seats (the seats never exceed it, nobody waits forever)."""

from __future__ import annotations

import threading

import pytest

from conference.extensions import db
from conference.models import SeatBooking
from conference.programme import editing
from conference.programme.edit_errors import Stale
from tests.programme.editing_data import WORKSHOP, conference, hold_seats, room, session

pytestmark = pytest.mark.postgres


def _together(app, jobs) -> list:
    """Run each job in its own thread and app context, released at once; their results."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index: int) -> None:
        with app.app_context():
            try:
                results[index] = jobs[index](barrier)
            except Exception as exc:  # noqa: BLE001 (the assertions look at it)
                results[index] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_organisers_saving_one_room_at_once_one_is_refused(app, demo):
    def save(capacity):
        def job(barrier):
            item = room("forum-a")
            version = item.version  # both forms were opened at this version
            barrier.wait()
            editing.finish(editing.update(item, "room", {"capacity": capacity}, version))
            return capacity
        return job

    results = _together(app, [save(100), save(90)])
    assert sorted(type(r).__name__ for r in results) == ["Stale", "int"]
    saved = next(r for r in results if isinstance(r, int))
    with app.app_context():
        assert room("forum-a").capacity == saved
        assert room("forum-a").version == 2
    assert any(isinstance(r, Stale) for r in results)


def test_seats_never_exceed_a_capacity_lowered_while_people_book(app, demo):
    with app.app_context():
        hold_seats(conference(demo), WORKSHOP, [(f"early{i}@example.org", "en")
                                                for i in range(10)])

    def lower(barrier):
        barrier.wait()
        item = session(WORKSHOP)
        editing.finish(editing.save_session(item.conference, item, {"capacity": 12}))

    def book(number):
        def job(barrier):
            barrier.wait()
            hold_seats(conference(demo), WORKSHOP, [(f"late{number}@example.org", "zh")])
        return job

    results = _together(app, [lower, *(book(n) for n in range(16))])
    assert [r for r in results if isinstance(r, Exception)] == []
    with app.app_context():
        seated = db.session.scalar(db.select(db.func.count(SeatBooking.id)).where(
            SeatBooking.session_id == session(WORKSHOP).id, SeatBooking.status == "confirmed"))
        assert seated == 12
        assert session(WORKSHOP).capacity == 12
