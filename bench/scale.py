"""The organiser's and the door's work at scale: 100,000 registrations on PostgreSQL.

    .venv/bin/python bench/scale.py [--attendees 100000]
        [--database postgresql+psycopg://postgres@127.0.0.1:5432/bench_scale] [--explain]

Creates the tables afresh in the given database (never point it at real data), loads the
demo with ``seed-demo --attendees N``, then measures in-process, one request at a time
(latency of one organiser, not throughput):

- the organiser's list: first page, a search by name, by e-mail, by organisation, a
  status filter (p50 and p95 of 20 requests each);
- one registration's page, the door counters, the revocation sync of an offline scanner
  (all of them, and the changes of the last minute: bytes);
- the CSV and XLSX exports at 10,000 and N rows: time and peak RSS of a fresh process
  that does only that export;
- bulk badges for about 10,000 (``render-badges``, three categories): ms per badge and
  peak RSS.

``--explain`` prints the PostgreSQL plans of the list's queries.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_scale"
ORGANISER = ("organiser@bench.example.org", "bench organiser password")


def _recreate(database: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(database)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()


def _flask(env: dict, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "conference", *args],
                          env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout


def _timed(client, url: str, runs: int = 20) -> tuple[float, float, int]:
    times = []
    size = 0
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, headers={"X-Requested-With": "checkin"})
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.data)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], size


EXPORT_CHILD = """
import resource, sys, time
from conference import create_app
app = create_app({"WTF_CSRF_ENABLED": False})
client = app.test_client()
client.post("/login", data={"email": sys.argv[1], "password": sys.argv[2]})
started = time.perf_counter()
response = client.get(sys.argv[3], buffered=False)
size = sum(len(chunk) for chunk in response.response)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{seconds:.2f} {peak:.0f} {size}")
"""


def _export(env: dict, url: str) -> tuple[float, float, int]:
    done = subprocess.run([sys.executable, "-c", EXPORT_CHILD, *ORGANISER, url], check=False, env=env,
                          cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr)
    seconds, peak, size = done.stdout.split()[-3:]
    return float(seconds), float(peak), int(size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attendees", type=int, default=100_000)
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the database as it is (seeded by an earlier run)")
    parser.add_argument("--skip-exports", action="store_true")
    args = parser.parse_args()

    env = {**os.environ, "DATABASE_URL": args.database}
    if not args.reuse:
        _recreate(args.database)
        _flask(env, "db", "upgrade")
        started = time.perf_counter()
        print(_flask(env, "seed-demo", "--attendees", str(args.attendees)).splitlines()[1])
        print(f"(seed-demo --attendees {args.attendees:,}: {time.perf_counter() - started:.1f} s "
              "with the process start)")
        _flask(env, "create-user", ORGANISER[0], "--role", "organiser", "--password",
               ORGANISER[1])

    os.environ.update(env)
    from conference import create_app
    from conference.extensions import db
    from conference.models import Registration

    app = create_app({"WTF_CSRF_ENABLED": False})  # the bench logs in without a form
    client = app.test_client()
    client.post("/login", data={"email": ORGANISER[0], "password": ORGANISER[1]})
    with app.app_context():
        sample = db.session.execute(
            db.select(Registration).where(Registration.status == "confirmed")
            .order_by(Registration.id.desc()).limit(1)).scalar_one()
        name, email, organisation, token = (sample.name, sample.email,
                                            sample.organisation or "Sensor", sample.token)

    print(f"\n{'page':<44} {'p50 ms':>8} {'p95 ms':>8} {'bytes':>9}")
    pages = [
        ("list, first page", "/admin/registrations"),
        ("list, page 500 (all)", "/admin/registrations?status=all&page=500"),
        ("list, search by name", f"/admin/registrations?status=all&q={name}"),
        ("list, search by e-mail", f"/admin/registrations?status=all&q={email}"),
        ("list, search by organisation", f"/admin/registrations?status=all&q={organisation[:6]}"),
        ("list, status filter (pending)", "/admin/registrations?status=pending"),
        ("one registration's page", f"/registration/{token}"),
        ("door counters", "/api/v1/checkin/counters"),
        ("revocation sync, all", "/api/v1/checkin/revoked"),
    ]
    for label, url in pages:
        p50, p95, size = _timed(client, url)
        print(f"{label:<44} {p50:8.1f} {p95:8.1f} {size:9,}")
    with app.app_context():
        latest = db.session.execute(db.text(
            "select max(revoked_at) from badge_revocation")).scalar_one()
    since = (latest.replace(microsecond=0)).isoformat() + "Z"
    p50, p95, size = _timed(client, f"/api/v1/checkin/revoked?since={since}")
    print(f"{'revocation sync, since the last change':<44} {p50:8.1f} {p95:8.1f} {size:9,}")

    if args.explain:
        _explain(app, name)

    if args.skip_exports:
        return
    print(f"\n{'export':<28} {'rows':>8} {'seconds':>8} {'peak RSS MiB':>13} {'bytes':>12}")
    for fmt in ("csv", "xlsx"):
        for rows, status in ((10_000, "pending"), (args.attendees, None)):
            url = f"/admin/registrations/export.{fmt}" + (f"?status={status}" if status else "")
            seconds, peak, size = _export(env, url)
            label = f"{fmt} ({status or 'all'})"
            print(f"{label:<28} {rows if not status else '':>8} {seconds:8.2f} {peak:13.0f} {size:12,}")
    with app.app_context():
        from conference.models import AttendeeCategory

        badges = db.session.execute(
            db.select(db.func.count(Registration.id)).join(AttendeeCategory)
            .where(AttendeeCategory.code.in_(BADGE_CATEGORIES),
                   Registration.status == "confirmed")).scalar_one()
    _bulk_badges(env, badges)


# About 10,000 confirmed people at 100,000 attendees.
BADGE_CATEGORIES = ("exhibitor-staff", "press", "government-guest")


def _bulk_badges(env: dict, count: int) -> None:
    out = Path(tempfile.mkdtemp(prefix="bench-badges-")) / "badges.pdf"
    command = [sys.executable, "-c", (
        "import resource, sys, time\n"
        "from flask.cli import main\n"
        "started = time.perf_counter()\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('BENCH', time.perf_counter() - started,"
        " resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n"),
        "--app", "conference", "render-badges", "--layout", "a6x4", "--status", "confirmed",
        *(f"--category={code}" for code in BADGE_CATEGORIES), "-o", str(out)]
    done = subprocess.run(command, check=False, env=env, cwd=ROOT, capture_output=True,
                          text=True)
    line = [x for x in done.stdout.splitlines() if x.startswith("BENCH")]
    if done.returncode or not line:
        print(f"\nbulk badges: failed\n{done.stdout[-500:]}{done.stderr[-2000:]}")
        return
    _, seconds, peak = line[-1].split()
    print(f"\nbulk badges, {count:,}: {float(seconds) / count * 1000:.1f} ms per badge, "
          f"{float(seconds):.1f} s, peak RSS {float(peak):.0f} MiB, {out.stat().st_size:,} bytes")


def _explain(app, name: str) -> None:
    from conference.admin.registration_list import registration_list
    from conference.current import current_conference
    from conference.extensions import db

    with app.test_request_context(), app.app_context():
        conference = current_conference()
        statements = []

        def capture(conn, cursor, statement, parameters, context, executemany):
            statements.append((statement, parameters))

        from sqlalchemy import event

        engine = db.engine
        event.listen(engine, "before_cursor_execute", capture)
        for status, query in (("all", ""), ("all", name), ("pending", "")):
            registration_list(conference, status, query)
        event.remove(engine, "before_cursor_execute", capture)
        with engine.connect() as connection:
            raw = connection.connection.driver_connection
            for statement, parameters in statements:
                if "registration" not in statement:
                    continue
                print("\n" + statement.replace("\n", " ")[:200])
                cursor = raw.cursor()
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + statement, parameters)
                for (line,) in cursor.fetchall():
                    print("   " + line)


if __name__ == "__main__":
    main()
