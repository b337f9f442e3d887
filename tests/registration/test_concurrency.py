"""Registrations in a rush, on PostgreSQL, through a real HTTP server and real threads.

Each test starts the app in a threaded WSGI server on a free loopback port and fires
requests from many threads released at once by a barrier. The control test replaces the
capacity locks with nothing (a monkeypatch) and must see overbooking, which shows the
other tests can fail.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from werkzeug.serving import make_server

from conference.extensions import db
from conference.models import AttendeeCategory, Registration, SeatBooking, Session
from tests.registration.conference_data import api_body

pytestmark = pytest.mark.postgres

SEATS = 10
CLIENTS = 60


@contextmanager
def serving(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def _post(url: str, body: dict | None = None) -> tuple[int, dict]:
    if body is None:  # a form post with no fields, like the manage page's cancel button
        data, kind = b"", "application/x-www-form-urlencoded"
    else:
        data, kind = json.dumps(body).encode(), "application/json"
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": kind, "Host": "localhost"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            text = response.read()
            return response.status, json.loads(text) if text.startswith(b"{") else {}
    except urllib.error.HTTPError as error:
        return error.code, {}


def _all_at_once(calls: list[Callable[[], tuple[int, dict]]]) -> list[tuple[int, dict]]:
    barrier = threading.Barrier(len(calls))
    results: list[tuple[int, dict] | None] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = calls[index]()
        except Exception as exc:  # noqa: BLE001 (reported by the assertion below)
            results[index] = (0, {"error": repr(exc)})

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return [r for r in results if r is not None]


def _register_many(base: str, count: int, prefix: str, **body) -> list[tuple[int, dict]]:
    url = f"{base}/api/v1/registrations"
    return _all_at_once(
        [
            (
                lambda i=i: _post(
                    url, api_body(email=f"{prefix}{i}@example.org", name=f"P {i}", **body)
                )
            )
            for i in range(count)
        ]
    )


def _forum_bookings(app) -> list[SeatBooking]:
    with app.app_context():
        rows = (
            db.session.execute(
                db.select(SeatBooking)
                .join(Session, Session.id == SeatBooking.session_id)
                .where(Session.slug == "forum")
                .order_by(SeatBooking.id)
            )
            .scalars()
            .all()
        )
        db.session.expunge_all()
        return list(rows)


def _assert_arrival_order(rows) -> None:
    """Nobody who came later holds a place while an earlier one waits."""
    confirmed = [row.id for row in rows if row.status == "confirmed"]
    waiting = [row.id for row in rows if row.status == "waitlisted"]
    assert max(confirmed) < min(waiting)
    created = [row.created_at for row in sorted(rows, key=lambda row: row.id)]
    assert created == sorted(created)


def test_sixty_at_once_for_ten_seats_confirm_exactly_ten(app, conference_slug):
    with serving(app) as base:
        results = _register_many(base, CLIENTS, "seat", sessions=["forum"])
    assert [status for status, _ in results] == [201] * CLIENTS
    seat_words = sorted(body["sessions"][0]["status"] for _, body in results)
    assert seat_words == ["confirmed"] * SEATS + ["waitlisted"] * (CLIENTS - SEATS)
    rows = _forum_bookings(app)
    assert [row.status for row in rows].count("confirmed") == SEATS
    assert len(rows) == CLIENTS
    _assert_arrival_order(rows)


def test_sixty_at_once_for_a_category_of_ten_confirm_exactly_ten(app, conference_slug):
    with app.app_context():
        student = db.session.execute(
            db.select(AttendeeCategory).where(AttendeeCategory.code == "student")
        ).scalar_one()
        student.capacity = SEATS
        db.session.commit()
    with serving(app) as base:
        results = _register_many(base, CLIENTS, "student", category="student")
    assert sorted(body["status"] for _, body in results) == (
        ["confirmed"] * SEATS + ["waitlisted"] * (CLIENTS - SEATS)
    )
    with app.app_context():
        rows = db.session.execute(db.select(Registration).order_by(Registration.id)).scalars().all()
        db.session.expunge_all()
    _assert_arrival_order(rows)


def test_a_cancellation_under_load_promotes_exactly_one(app, conference_slug):
    with serving(app) as base:
        url = f"{base}/api/v1/registrations"
        early = [
            _post(url, api_body(email=f"early{i}@example.org", sessions=["forum"]))[1]
            for i in range(SEATS + 3)
        ]
        first_waiting, second_waiting = early[SEATS]["token"], early[SEATS + 1]["token"]
        leaving = early[0]["token"]
        calls = [
            (lambda i=i: _post(url, api_body(email=f"late{i}@example.org", sessions=["forum"])))
            for i in range(30)
        ]
        calls.append(lambda: _post(f"{base}/registration/{leaving}/cancel"))
        results = _all_at_once(calls)
    # The cancel answers 303 to the manage page, which urllib follows (200).
    assert sorted(status for status, _ in results) == [200] + [201] * 30
    rows = _forum_bookings(app)
    assert [row.status for row in rows].count("confirmed") == SEATS
    with app.app_context():
        status_of = dict(
            db.session.execute(
                db.select(Registration.token, SeatBooking.status).join(SeatBooking.registration)
            ).all()
        )
    assert status_of[leaving] == "cancelled"
    assert status_of[first_waiting] == "confirmed"
    assert status_of[second_waiting] == "waitlisted"


def test_control_without_the_lock_overbooks(app, conference_slug, monkeypatch):
    """The same rush with the locks off: more than ten seats go out.

    Counting the taken seats also takes 50 ms longer, as on a busy server now and then,
    so the race shows on a loaded machine too."""
    from conference.registration import seats

    counted = seats.seats_taken

    def slowly(session_ids):
        taken = counted(session_ids)
        time.sleep(0.05)
        return taken

    monkeypatch.setattr(seats, "lock_capacity_rows", lambda category_ids, session_ids: None)
    monkeypatch.setattr(seats, "seats_taken", slowly)
    with serving(app) as base:
        answers = _register_many(base, CLIENTS, "rx", sessions=["forum"])
    assert [status for status, _ in answers].count(201) == CLIENTS
    confirmed = [row.status for row in _forum_bookings(app)].count("confirmed")
    assert confirmed > SEATS
