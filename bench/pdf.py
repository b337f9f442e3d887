"""Render times of the printed output: the programme (zh, en) and badges.

    .venv/bin/python bench/pdf.py [--badges N]

Uses a throw-away SQLite database with the demo conference and prints seconds per
render; the programme is timed cold (cache bypassed) and then from the render cache.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conference import create_app
from conference.extensions import db
from conference.models import Registration
from conference.programme.importer import import_programme

DEMO_FILE = ROOT / "conference" / "demo" / "hefei-smart-sensor-2024.yaml"


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--badges", type=int, default=5, help="single badges to render")
    args = parser.parse_args()

    from conference.badges.render import badge_pdf
    from conference.pdf import print_base_url, render_pdf
    from conference.programme.pdf import programme_html, programme_pdf

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({
            "INSTANCE_PATH": f"{tmp}/instance",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite",
        })
        with app.test_request_context("/"):
            db.create_all()
            conference = import_programme(DEMO_FILE.read_text(encoding="utf-8"), str(DEMO_FILE))
            for lang in ("zh", "en"):
                cold = timed(lambda lang=lang: render_pdf(programme_html(conference, lang),
                                                          print_base_url()))
                programme_pdf(conference, lang)
                warm = timed(lambda lang=lang: programme_pdf(conference, lang))
                print(f"programme {lang} A4: {cold:.2f} s to render, {warm * 1000:.1f} ms cached "
                      f"({len(conference.sessions)} sessions)")

            category = conference.categories[0]
            registrations = [
                Registration(conference=conference, category=category, name=name,
                             email=f"bench{i}@example.org", organisation="合肥智能传感器有限公司",
                             job_title="工程师", status="confirmed")
                for i, name in enumerate(["张伟", "Ada Lovelace", "欧阳娜娜", "José Fernández",
                                          "Li Na"] * (args.badges // 5 + 1))
            ][: args.badges]
            db.session.add_all(registrations)
            db.session.commit()
            times = [timed(lambda r=r: badge_pdf(r, "zh")) for r in registrations]
            print(f"badge A6: median {statistics.median(times):.2f} s, "
                  f"max {max(times):.2f} s over {len(times)} badges")


if __name__ == "__main__":
    main()
