"""What one refresh of the live dashboard costs as the conference grows.

    .venv/bin/python bench/dashboard.py [--database sqlite:////tmp/bench_dashboard.sqlite]
        [--attendees 1000,20000,100000] [--rounds 7]

Creates the tables afresh in the given database (never point it at real data), loads the
demo conference, adds registrations over sixty days, four in five of them admitted over
the last three hours at four gates, then times ``dashboard_figures`` (every query one
refresh of /admin makes) ``--rounds`` times per size and prints the median and the
slowest, with the size of the JSON answer. The database groups the arrivals into
five-minute buckets, so the answer's size does not grow with the attendees.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conference import create_app
from conference.admin.dashboard_figures import dashboard_figures
from conference.extensions import db
from conference.models import Conference, Registration
from conference.models.base import utcnow
from conference.programme.importer import import_programme

DEMO = ROOT / "conference" / "demo" / "hefei-smart-sensor-2024.yaml"
GATES = ["North", "South", "East", "West"]


def _add(conference: Conference, start: int, count: int) -> None:
    rng = random.Random(start)
    now = utcnow()
    categories = [c.id for c in conference.categories]
    rows = []
    for number in range(start, start + count):
        arrived = rng.random() < 0.8
        rows.append({
            "conference_id": conference.id, "category_id": rng.choice(categories),
            "name": f"Guest {number}", "email": f"guest{number}@example.org", "status": "confirmed",
            "token": f"t{number:030d}", "public_id": f"{number:020x}", "badge_version": 1,
            "language": "en", "source": "web",
            "created_at": now - timedelta(minutes=rng.randint(0, 60 * 24 * 60)),
            "checked_in_at": now - timedelta(seconds=rng.randint(0, 3 * 3600)) if arrived else None,
            "checked_in_gate": rng.choice(GATES) if arrived else None,
        })
    for chunk in range(0, len(rows), 5000):
        db.session.execute(db.insert(Registration), rows[chunk:chunk + 5000])
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=f"sqlite:///{tempfile.gettempdir()}/bench_dashboard.sqlite")
    parser.add_argument("--attendees", default="1000,20000,100000")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    sizes = [int(size) for size in args.attendees.split(",")]
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"INSTANCE_PATH": instance, "SQLALCHEMY_DATABASE_URI": args.database})
        with app.test_request_context():
            db.drop_all()
            db.create_all()
            conference = import_programme(DEMO.read_text(encoding="utf-8"), str(DEMO))
            print(f"{db.engine.dialect.name}: attendees  median ms  slowest ms  JSON bytes")
            loaded = 0
            for size in sizes:
                _add(conference, loaded, size - loaded)
                loaded = size
                timings = []
                for _ in range(args.rounds):
                    db.session.expire_all()
                    started = time.perf_counter()
                    figures = dashboard_figures(conference)
                    timings.append((time.perf_counter() - started) * 1000)
                body = len(json.dumps(figures))
                print(f"{size:>18}  {statistics.median(timings):9.1f}  {max(timings):10.1f}  {body:10}")
            db.session.remove()
            db.drop_all()


if __name__ == "__main__":
    main()
