"""Registrations per second under a rush: gunicorn (2 workers) on PostgreSQL, loopback only.

    .venv/bin/python bench/registration.py [--clients 32] [--requests 3000] [--seats 200]
        [--database postgresql+psycopg://postgres@127.0.0.1:5432/bench_registration]
        [--existing 100000]

Creates the tables afresh in the given database (never point it at real data), loads a
small conference whose "forum" session has ``--seats`` seats and whose "student"
category has ``--seats`` places, starts gunicorn with two sync workers on a free
loopback port, and lets ``--clients`` threads POST /api/v1/registrations until
``--requests`` were sent or ``--seconds`` passed. Every request picks the forum; every
other one registers as a student. Prints registrations/s, p50/p99 latency, the status
counts and the overbookings (seats or places beyond capacity; must be 0). ``--existing N``
first adds N synthetic registrations (``seed-demo --attendees``), without seats, and
widens the categories by what they hold, so the rush finds the same free places.

E-mail: each registration queues its message in the outbox, in the same transaction;
composing and delivering it is left to ``flask send-mail`` (MAIL_SEND_INLINE off), as in
production.
Rate limits are off: every client shares 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_registration"


def bench_app():
    """The app gunicorn serves (``registration:bench_app()``), configured from the env."""
    from conference import create_app

    return create_app(
        {
            "INSTANCE_PATH": os.environ["BENCH_INSTANCE"],
            "SQLALCHEMY_DATABASE_URI": os.environ["BENCH_DATABASE_URL"],
            "RATELIMIT_ENABLED": False,
            "MAIL_SEND_INLINE": False,
            "SECRET_KEY": "bench-only",
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 10, "max_overflow": 10},
        }
    )


def _prepare(database: str, instance: str, seats: int, existing: int) -> None:
    from conference import create_app
    from conference.demo_attendees import seed_attendees
    from conference.extensions import db
    from conference.models import Conference
    from conference.programme.importer import import_programme
    from tests.registration.conference_data import PROGRAMME

    programme = PROGRAMME.replace("capacity: 10\n", f"capacity: {seats}\n").replace(
        "    capacity: 1\n", f"    capacity: {seats}\n"
    )
    app = create_app({"INSTANCE_PATH": instance, "SQLALCHEMY_DATABASE_URI": database})
    with app.app_context():
        db.drop_all()
        db.create_all()
        conference = import_programme(programme, "bench.yaml")
        if existing:
            # Already registered, without seats: the rush then finds the same free places
            # and seats as in an empty conference, among ``existing`` other registrations.
            free = {c.id: c.capacity for c in conference.categories}
            seed_attendees(conference, existing, book_seats=False)
            conference = db.session.get(Conference, conference.id)
            for category in conference.categories:
                if free[category.id] is not None:
                    category.capacity = _held(category) + free[category.id]
            db.session.commit()
        db.engine.dispose()


def _held(category) -> int:
    from conference.extensions import db
    from conference.models import Registration

    return db.session.execute(
        db.select(db.func.count(Registration.id)).where(
            Registration.category_id == category.id,
            Registration.status.in_(("confirmed", "pending")))
    ).scalar_one()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz")


def _overbookings(database: str, instance: str) -> tuple[int, dict[str, int]]:
    from conference import create_app
    from conference.extensions import db
    from conference.models import AttendeeCategory, Registration, SeatBooking, Session

    app = create_app({"INSTANCE_PATH": instance, "SQLALCHEMY_DATABASE_URI": database})
    with app.app_context():
        over = 0
        for session in db.session.execute(
            db.select(Session).where(Session.capacity.is_not(None))
        ).scalars():
            taken = db.session.execute(
                db.select(db.func.count(SeatBooking.id)).where(
                    SeatBooking.session_id == session.id, SeatBooking.status == "confirmed"
                )
            ).scalar_one()
            over += max(taken - session.capacity, 0)
        for category in db.session.execute(
            db.select(AttendeeCategory).where(AttendeeCategory.capacity.is_not(None))
        ).scalars():
            taken = db.session.execute(
                db.select(db.func.count(Registration.id)).where(
                    Registration.category_id == category.id,
                    Registration.status.in_(("confirmed", "pending")),
                )
            ).scalar_one()
            over += max(taken - category.capacity, 0)
        statuses = dict(
            db.session.execute(
                db.select(Registration.status, db.func.count(Registration.id)).group_by(
                    Registration.status
                )
            ).all()
        )
        db.engine.dispose()
    return over, statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--seats", type=int, default=200)
    parser.add_argument("--existing", type=int, default=0,
                        help="registrations already there (seed-demo's synthetic attendees)")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads per gunicorn worker (gthread worker class when more than 1)",
    )
    parser.add_argument(
        "--database", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    )
    args = parser.parse_args()
    if "127.0.0.1" not in args.database and "localhost" not in args.database:
        raise SystemExit("the bench runs against a loopback database only")

    instance = tempfile.mkdtemp(prefix="bench-registration-")
    _prepare(args.database, instance, args.seats, args.existing)
    port = _free_port()
    env = dict(os.environ, BENCH_INSTANCE=instance, BENCH_DATABASE_URL=args.database)
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--workers",
            "2",
            *(["--worker-class", "gthread", "--threads", str(args.threads)] if args.threads > 1 else []),
            "--bind",
            f"127.0.0.1:{port}",
            "--pythonpath",
            str(ROOT / "bench") + "," + str(ROOT),
            "--log-level",
            "warning",
            "registration:bench_app()",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        _wait_until_up(port)
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        lock = threading.Lock()
        counter = iter(range(args.requests))
        stop_at = time.monotonic() + args.seconds

        def client() -> None:
            while time.monotonic() < stop_at:
                with lock:
                    index = next(counter, None)
                if index is None:
                    return
                body = {
                    "name": f"李 Attendee {index}",
                    "email": f"bench{index}@example.org",
                    "organisation": "Bench Ltd",
                    "category": "student" if index % 2 else "delegate",
                    "consent": True,
                    "sessions": ["forum"],
                }
                started = time.perf_counter()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                try:
                    connection.request(
                        "POST",
                        "/api/v1/registrations",
                        body=json.dumps(body),
                        headers={"Content-Type": "application/json"},
                    )
                    response = connection.getresponse()
                    response.read()
                    status = response.status
                except OSError:
                    status = 0
                finally:
                    connection.close()
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    statuses[status] = statuses.get(status, 0) + 1

        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - began
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    over, registration_statuses = _overbookings(args.database, instance)
    ordered = sorted(latencies)
    created = statuses.get(201, 0)
    print(f"gunicorn 2 workers x {args.threads} thread(s) · PostgreSQL · cores: {os.cpu_count()}")
    print(f"clients {args.clients}, requests {len(latencies)}, wall {wall:.2f} s, "
          f"registered before {args.existing:,}")
    print(f"HTTP statuses {dict(sorted(statuses.items()))}")
    print(f"registration statuses {registration_statuses}")
    print(f"registrations/s {created / wall:.1f}")
    print(
        f"latency p50 {statistics.median(ordered) * 1000:.1f} ms, "
        f"p99 {ordered[int(len(ordered) * 0.99) - 1] * 1000:.1f} ms"
    )
    print(f"overbookings {over}")
    if over:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
