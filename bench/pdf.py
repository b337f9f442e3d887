"""Render times and memory of the printed output: programmes and badges in bulk.

    .venv/bin/python bench/pdf.py [--badges 2000] [--layouts a6,a6x4,...] [--processes 2] [--back]

Uses a throw-away SQLite database holding the demo conference and a generated 3-day,
6-room, 200-session conference (loaded through the programme importer from YAML). For
every render it prints seconds, pages, ms per badge and the peak resident memory of this
process and all its children together (sampled from /proc every 50 ms). CPU seconds
(this process and its worker processes) are printed too: on a shared machine they show
the work done when the wall-clock figure is inflated by other loads.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import resource
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEMO_FILE = ROOT / "conference" / "demo" / "hefei-smart-sensor-2024.yaml"
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
NAMES = ["张伟", "欧阳娜娜", "Ada Lovelace", "José María Fernández", "李娜", "王秀英",
         "Maximilian Alexander von Hohenzollern", "陈静", "司马相如", "Grace Hopper"]


class PeakMemory:
    """Peak of the summed RSS of this process and its descendants while in the block."""

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()

    @staticmethod
    def tree_rss(root: int) -> int:
        """Summed RSS of ``root`` and its descendants (found through /proc/…/children)."""
        total, waiting = 0, [root]
        while waiting:
            pid = waiting.pop()
            try:
                with open(f"/proc/{pid}/statm") as statm:
                    total += int(statm.read().split()[1]) * PAGE_SIZE
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/children") as children:
                        waiting.extend(int(child) for child in children.read().split())
            except (OSError, ValueError):
                continue
        return total

    def _watch(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            self.peak = max(self.peak, self.tree_rss(me))
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.tree_rss(os.getpid()))


def generated_programme(days: int = 3, rooms: int = 6, sessions: int = 200) -> str:
    """YAML of a conference of ``days`` × ``rooms`` with ``sessions`` talks."""
    start = date(2025, 10, 14)
    lines = [
        "conference:",
        "  slug: bench-200", "  acronym: bench200",
        "  name: {zh: 基准测试大会, en: Benchmark Conference}",
        f"  starts_on: {start}", f"  ends_on: {start + timedelta(days=days - 1)}",
        "  timezone: Asia/Shanghai", "  venue: {zh: 合肥会展中心, en: Hefei Expo Centre}",
        "categories:", "  - code: delegate", "    name: {zh: 代表, en: Delegate}",
        "rooms:",
    ]
    lines += [f"  - slug: room-{r}\n    name: {{zh: 第{r}会议室, en: Room {r}}}"
              for r in range(1, rooms + 1)]
    lines += ["tracks:"] + [
        f"  - slug: track-{t}\n    name: {{zh: 专题{t}, en: Track {t}}}\n"
        f"    colour: \"#{(40 * t) % 256:02x}66{(90 * t) % 256:02x}\"" for t in range(1, 5)
    ]
    lines += ["speakers:"] + [
        f"  - slug: speaker-{s}\n    name: {{zh: 讲者{s}, en: Speaker {s}}}" for s in range(1, 121)
    ]
    lines.append("sessions:")
    slots_per_day = -(-sessions // (days * rooms))
    number = 0
    for day in range(days):
        for slot in range(slots_per_day):
            hour, minute = divmod(9 * 60 + slot * 50, 60)
            ends_hour, ends_minute = divmod(9 * 60 + slot * 50 + 45, 60)
            for room in range(1, rooms + 1):
                if number >= sessions:
                    break
                number += 1
                when = start + timedelta(days=day)
                lines += [
                    f"  - slug: s{number}",
                    (f"    title: {{zh: 第{number}场 传感器与智能制造报告, "
                     f"en: Talk {number} on sensors and smart manufacturing}}"),
                    "    kind: talk",
                    f"    starts: {when} {hour:02d}:{minute:02d}",
                    f"    ends: {when} {ends_hour:02d}:{ends_minute:02d}",
                    f"    room: room-{room}",
                    f"    track: track-{number % 4 + 1}",
                    f"    speakers: [speaker-{number % 120 + 1}]",
                ]
    return "\n".join(lines) + "\n"


def cpu_seconds() -> float:
    """User + system CPU time of this process and of its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def report(label: str, seconds: float, cpu: float, pages: int, peak: int,
           badges: int = 0) -> None:
    per_badge = f", {seconds / badges * 1000:6.1f} ms/badge" if badges else ""
    print(f"{label:<30} {seconds:7.2f} s (CPU {cpu:6.2f} s), {pages:4d} pages{per_badge}, "
          f"peak RSS {peak / 2**20:5.0f} MiB", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--badges", type=int, default=2000)
    parser.add_argument("--layouts", default="a6,a6x4,a7x8,54x90,40x75,4x3in")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--back", action="store_true", help="print the backs of the badges too")
    args = parser.parse_args()

    # Imported here, not at the top: the badge workers are spawned and import this
    # module again, and should carry no more than a real worker does.
    from pypdf import PdfReader

    from conference import create_app
    from conference.badges.bulk import render_badges_to_file, select_registrations
    from conference.badges.layouts import LAYOUTS
    from conference.extensions import db
    from conference.models import Registration
    from conference.pdf import print_base_url, render_pdf
    from conference.programme.importer import import_programme
    from conference.programme.pdf import programme_html

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({
            "INSTANCE_PATH": f"{tmp}/instance",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite",
        })
        with app.test_request_context("/"):
            db.create_all()
            demo = import_programme(DEMO_FILE.read_text(encoding="utf-8"), str(DEMO_FILE))
            big = import_programme(generated_programme(), "generated.yaml")
            for conference, label in ((demo, "demo"), (big, f"{len(big.sessions)} sessions")):
                for lang, size in (("zh", "A4"), ("en", "A4"), ("both", "A5")):
                    with PeakMemory() as memory:
                        started, cpu = time.perf_counter(), cpu_seconds()
                        html = programme_html(conference, lang, size)
                        pdf = render_pdf(html, print_base_url())
                        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
                    pages = len(PdfReader(io.BytesIO(pdf)).pages)
                    report(f"programme {label} {lang} {size}", seconds, cpu, pages, memory.peak)

            categories = demo.categories
            db.session.add_all(
                Registration(
                    conference=demo, category=categories[i % len(categories)],
                    name=NAMES[i % len(NAMES)], email=f"bench{i}@example.org",
                    organisation="中国科学院合肥物质科学研究院" if i % 2 else "Analytical Engines Ltd",
                    job_title="高级工程师" if i % 2 else "Research Engineer",
                )
                for i in range(args.badges)
            )
            db.session.commit()
            registrations = select_registrations(demo, statuses=["confirmed"])
            for code in args.layouts.split(","):
                target = Path(tmp) / f"badges-{code}.pdf"
                with PeakMemory() as memory:
                    started, cpu = time.perf_counter(), cpu_seconds()
                    pages = render_badges_to_file(registrations, "zh", LAYOUTS[code], target,
                                                  processes=args.processes, back=args.back)
                    seconds = time.perf_counter() - started
                    while multiprocessing.active_children():  # reap the workers for their
                        time.sleep(0.01)                      # CPU time (they exit late)
                    cpu = cpu_seconds() - cpu
                report(f"badges {code} ×{len(registrations)}", seconds, cpu, pages,
                       memory.peak, len(registrations))


if __name__ == "__main__":
    main()
