"""CPU instructions per request of a door scan and of ``/healthz``, counted by callgrind.

    .venv/bin/python bench/checkin_instructions.py [--database-url postgresql+psycopg://…/bench_checkin]
                                                   [--requests 200]

Timings on a shared 2-core machine vary by ±15 % from one run to the next; instruction
counts do not (valgrind's callgrind counts them, whatever else the machine is doing).
This is the figure to compare two versions of the scan path with. It loads the demo
conference into the given scratch database (its tables are recreated) with one badge per
scan, then runs the Flask app in-process (no gunicorn, no HTTP client) under callgrind
once per kind of request: 30 warm-up requests, then ``--requests`` requests counted.
The scan is a scanner device's first entry scan of a distinct badge, as in
``bench/checkin.py``. The database's own work is not counted (it runs in PostgreSQL).
Needs ``valgrind`` on the PATH; takes about three minutes per kind of request.
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_checkin"
WARM_UP = 30
# Counting is switched on only inside this C function, which wraps the measured loop.
COUNTED_FUNCTION = "functools_reduce"


def _environ(method: str, path: str, body: bytes = b"", headers: dict | None = None) -> dict:
    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "5000", "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:5000", "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)),
        "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in (headers or {}).items():
        key = "CONTENT_TYPE" if name == "Content-Type" else "HTTP_" + name.upper().replace("-", "_")
        environ[key] = value
    return environ


def _requests(kind: str, codes: list[str], token: str) -> list[dict]:
    if kind == "healthz":
        return [_environ("GET", "/healthz") for _ in codes]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    return [
        _environ("POST", "/api/v1/checkin", json.dumps(
            {"code": code, "gate": "Gate 1", "nonce": uuid.uuid4().hex, "type": "entry"}
        ).encode(), headers)
        for code in codes
    ]


def child(kind: str, state_file: str) -> None:
    """Inside callgrind: serve the requests of ``kind`` through the WSGI app."""
    state = json.loads(Path(state_file).read_text())
    os.environ.update(DATABASE_URL=state["database_url"], BADGE_SIGNING_KEY=state["signing_key"],
                      SECRET_KEY=secrets.token_hex(16))
    sys.path.insert(0, str(ROOT))
    from wsgi import app

    def serve(_, environ):
        answer = []
        body = app(environ, lambda status, headers, exc_info=None: answer.append(status))
        b"".join(body)
        if not answer[0].startswith("200"):
            raise SystemExit(f"{environ['PATH_INFO']} answered {answer[0]}")

    codes = state["codes"]
    for environ in _requests(kind, codes[:WARM_UP], state["token"]):
        serve(None, environ)
    functools.reduce(serve, _requests(kind, codes[WARM_UP:], state["token"]), None)


def count(kind: str, state_file: str, requests: int) -> int:
    """Instructions per request of ``kind``."""
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--collect-atstart=no",
         f"--toggle-collect={COUNTED_FUNCTION}", "--callgrind-out-file=/dev/null",
         sys.executable, __file__, "--child", kind, state_file],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    found = re.search(r"Collected : (\d+)", result.stderr)
    if result.returncode != 0 or found is None:
        raise SystemExit(f"callgrind run of {kind} failed:\n{result.stderr[-2000:]}")
    return int(found.group(1)) // requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--child", nargs=2, metavar=("KIND", "STATE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    if not args.database_url.startswith("postgresql"):
        raise SystemExit("pass --database-url postgresql+psycopg://… (a scratch database)")
    sys.path.insert(0, str(ROOT / "bench"))
    from checkin import prepare

    signing_key = secrets.token_hex(32)
    with tempfile.TemporaryDirectory() as tmp:
        codes, token = prepare(args.database_url, signing_key, (WARM_UP + args.requests) * 2, Path(tmp))
        figures = {}
        for n, kind in enumerate(("healthz", "scan")):
            state = Path(tmp) / f"{kind}.json"
            mine = codes[n * (WARM_UP + args.requests):(n + 1) * (WARM_UP + args.requests)]
            state.write_text(json.dumps({"database_url": args.database_url, "signing_key": signing_key,
                                         "codes": mine, "token": token}))
            figures[kind] = count(kind, str(state), args.requests)
    print(f"instructions per request, in-process, {args.requests} requests each (callgrind)")
    print(f"  GET /healthz           {figures['healthz']:>12,}")
    print(f"  POST /api/v1/checkin   {figures['scan']:>12,}")
    print(f"  scan ÷ healthz         {figures['scan'] / figures['healthz']:>12.2f}")


if __name__ == "__main__":
    main()
