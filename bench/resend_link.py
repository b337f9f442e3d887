"""Does asking for the manage link again tell who registered? Latency of
``POST /register/resend-link`` for registered and unknown addresses, side by side.

    .venv/bin/python bench/resend_link.py [--people 200] [--rounds 3]
        [--database sqlite:///…]  (default: a fresh SQLite file in a temporary folder)

Loads the test conference, registers ``--people`` people through the API, then starts
gunicorn with one sync worker (one process: mail is composed and written inline, to
``instance/outbox/``, as ``make run`` does) on a free loopback port and asks for the link
of each registered address and of as many unknown ones, interleaved, ``--rounds`` times
(only the first round of a registered address queues a mail: one per ten minutes), with
``--pause`` seconds between asks.
Prints median, p90 and mean per kind and the difference of the medians. Rate limits and
CSRF are off.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from registration import _free_port, _wait_until_up  # bench/registration.py


def bench_app():
    """The app gunicorn serves (``resend_link:bench_app()``), configured from the env."""
    from conference import create_app

    return create_app({
        "INSTANCE_PATH": os.environ["BENCH_INSTANCE"],
        "SQLALCHEMY_DATABASE_URI": os.environ["BENCH_DATABASE_URL"],
        "RATELIMIT_ENABLED": False,
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "bench-only",
    })


def _prepare(database: str, instance: str, people: int) -> None:
    from conference import create_app
    from conference.extensions import db
    from conference.programme.importer import import_programme
    from tests.registration.conference_data import PROGRAMME, api_body

    app = create_app({"INSTANCE_PATH": instance, "SQLALCHEMY_DATABASE_URI": database,
                      "RATELIMIT_ENABLED": False, "MAIL_SEND_INLINE": False})
    with app.app_context():
        db.drop_all()
        db.create_all()
        import_programme(PROGRAMME, "bench.yaml")
        db.engine.dispose()
    client = app.test_client()
    for n in range(people):
        body = api_body(name=f"Person {n}", email=f"known{n}@example.org")
        assert client.post("/api/v1/registrations", json=body).status_code == 201


def _ask(port: int, email: str) -> float:
    body = urlencode({"email": email})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.perf_counter()
    connection.request("POST", "/register/resend-link", body,
                       {"Content-Type": "application/x-www-form-urlencoded"})
    response = connection.getresponse()
    response.read()
    took = time.perf_counter() - started
    connection.close()
    if response.status != 200:
        raise SystemExit(f"resend-link answered {response.status}")
    return took


def _line(kind: str, times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    return (f"{kind:>10}: median {statistics.median(ms):6.2f} ms   "
            f"p90 {ms[int(len(ms) * 0.9)]:6.2f} ms   mean {statistics.fmean(ms):6.2f} ms   "
            f"(n={len(ms)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database", default=None)
    parser.add_argument("--pause", type=float, default=0.1,
                        help="seconds between asks, so each is timed on an idle server "
                             "(as someone probing addresses one by one would)")
    args = parser.parse_args()
    instance = tempfile.mkdtemp(prefix="bench-resend-")
    database = args.database or f"sqlite:///{instance}/bench.sqlite"
    _prepare(database, instance, args.people)
    port = _free_port()
    env = dict(os.environ, BENCH_INSTANCE=instance, BENCH_DATABASE_URL=database)
    env.pop("WEB_CONCURRENCY", None)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", "1",
         "--bind", f"127.0.0.1:{port}",
         "--pythonpath", str(ROOT / "bench") + "," + str(ROOT),
         "--log-level", "warning", "resend_link:bench_app()"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    try:
        _wait_until_up(port)
        for n in range(20):  # warm up: templates, connections
            _ask(port, f"warm{n}@example.org")
        first: list[float] = []
        known: list[float] = []
        unknown: list[float] = []
        for round_ in range(args.rounds):
            for n in range(args.people):
                (first if round_ == 0 else known).append(_ask(port, f"known{n}@example.org"))
                time.sleep(args.pause)
                unknown.append(_ask(port, f"nobody{round_}-{n}@example.org"))
                time.sleep(args.pause)
        time.sleep(1)  # the mails queued by the first round are written meanwhile
        mails = len(list((Path(instance) / "outbox").glob("*-manage_link.eml")))
        print(_line("registered", first) + "  (first ask: a mail is queued)")
        if known:
            print(_line("again", known) + "  (asked again within 10 minutes: no mail)")
        print(_line("unknown", unknown))
        gap = statistics.median(first) - statistics.median(unknown)
        print(f"median registered - unknown: {gap * 1000:+.2f} ms; "
              f"manage-link mails written: {mails}")
    finally:
        os.killpg(server.pid, 15)
        server.wait()


if __name__ == "__main__":
    main()
