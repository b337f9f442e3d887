"""Door check-in throughput: gunicorn (2 workers) on PostgreSQL, N clients scanning.

    .venv/bin/python bench/checkin.py [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_checkin]
                                      [--clients 8,32] [--scans-per-client 100] [--rounds 5]
                                      [--threads 1] [--cpu] [--stdlib-client]

Recreates the tables of the given database (it must be a scratch database), loads the
demo conference with enough confirmed registrations for every scan to hit a distinct
badge, starts gunicorn from this virtualenv on a free 127.0.0.1 port and, for each client
count, measures ``GET /healthz`` and ``POST /api/v1/checkin`` with the same client code
in alternating rounds (``--rounds``, so that other load on the machine weighs on both
alike), one new HTTP connection per request, as gunicorn's sync workers close them. The
clients are threads of this process that send requests encoded beforehand and stop the
clock when the server has closed the connection (``--stdlib-client``: ``http.client``,
which spends about twice as much of the shared CPU per request).
Each client sends a fixed number of requests, so every loop ends by itself. Afterwards it
counts double admissions in the database (there must be none). Prints a table, then the
WAL written per scan (the whole server's, between two WAL positions: run it on a quiet
server) and the share of check-ins that were HOT updates of the registration row.

``--cpu`` also prints where the CPU went, per request of each kind, read from ``/proc``
(Linux): the gunicorn workers, every PostgreSQL process, this client, and the time all
cores stood idle.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import sqlalchemy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conference import create_app
from conference.auth.service import issue_device_token
from conference.badges.tokens import issue_code
from conference.extensions import db
from conference.models import Registration, Scan
from conference.programme.importer import import_programme

DEMO_FILE = ROOT / "conference" / "demo" / "hefei-smart-sensor-2024.yaml"
HOST = "127.0.0.1"
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_checkin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def prepare(database_url: str, signing_key: str, badges: int, instance: Path) -> tuple[list[str], str]:
    """Fresh tables, the demo conference, ``badges`` registrations; (codes, device token)."""
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": database_url,
        "BADGE_SIGNING_KEY": signing_key,
        "INSTANCE_PATH": str(instance),
    })
    with app.app_context():
        db.drop_all()
        db.create_all()
        conference = import_programme(DEMO_FILE.read_text(encoding="utf-8"), str(DEMO_FILE))
        category = conference.categories[0]
        people = [
            Registration(conference=conference, category=category, name=f"Guest {n}",
                         email=f"guest{n}@example.org", organisation="Bench Ltd", status="confirmed")
            for n in range(badges)
        ]
        db.session.add_all(people)
        db.session.commit()
        codes = [issue_code(person) for person in people]
        token = issue_device_token("bench")
        db.session.remove()
        db.engine.dispose()
    return codes, token


def start_gunicorn(database_url: str, signing_key: str, port: int, instance: Path,
                   threads: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "BADGE_SIGNING_KEY": signing_key,
        "SECRET_KEY": secrets.token_hex(16),
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "--workers", "2", *worker_class(threads), "--bind", f"{HOST}:{port}",
         "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status, _ = request(port, "GET", "/healthz", None, {})
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    stop(process)
    raise SystemExit("gunicorn did not answer /healthz within 30 s")


def worker_class(threads: int) -> list[str]:
    """gunicorn options: sync workers for one thread, else gthread with ``threads`` each."""
    return ["--worker-class", "gthread", "--threads", str(threads)] if threads > 1 else []


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def request(port: int, method: str, path: str, body: bytes | None, headers: dict) -> tuple[int, bytes]:
    """One request on a new connection with the standard library's ``http.client``."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def encode(port: int, method: str, path: str, body: bytes | None, headers: dict) -> bytes:
    """The bytes of an HTTP/1.1 request, built before the clock starts."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body is not None:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")


def send_raw(port: int, message: bytes) -> bytes:
    """Send one encoded request on a new connection; everything the server answered.

    The client shares the machine's two cores with the server it measures, so it does as
    little as it can while the clock runs: it reads until gunicorn closes the connection
    (which its sync workers do after every response) and parses nothing."""
    with socket.create_connection((HOST, port), timeout=30) as sock:
        sock.sendall(message)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def parse(answer: bytes) -> tuple[int, bytes]:
    """(status, body) of a raw HTTP/1.1 answer with a Content-Length."""
    head, _, body = answer.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 ") or b"transfer-encoding" in head.lower():
        raise OSError(f"unexpected answer: {head[:80]!r}")
    return int(head[9:12]), body


def run_clients(clients: int, work: list[list[tuple[str, str, bytes | None, dict]]], port: int,
                stdlib: bool = False):
    """Each client sends its own list of requests; (elapsed s, latencies ms, statuses, failures).

    Requests are encoded beforehand and sent with ``send_raw``, or with ``http.client``
    when ``stdlib`` is set (as this bench did before; for comparison)."""
    latencies: list[float] = []
    statuses: list[str] = []
    failures: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def client(jobs):
        mine, answers = [], []
        encoded = [encode(port, *job) for job in jobs]
        barrier.wait()
        for (method, path, body, headers), message in zip(jobs, encoded, strict=True):
            started = time.perf_counter()
            try:
                if stdlib:
                    status, payload = request(port, method, path, body, headers)
                else:
                    answer = send_raw(port, message)
                elapsed = time.perf_counter() - started
                if not stdlib:
                    status, payload = parse(answer)
            except OSError as exc:
                failures.append(repr(exc))
                continue
            mine.append(elapsed * 1000)
            if status != 200:
                failures.append(f"HTTP {status}")
            elif path.startswith("/api/"):
                answers.append(json.loads(payload)["status"])
        with lock:
            latencies.extend(mine)
            statuses.extend(answers)

    threads = [threading.Thread(target=client, args=(jobs,)) for jobs in work]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, statuses, failures


CPU_GROUPS = ("gunicorn", "postgres", "client", "idle")


def _cpu_seconds(pid: int) -> float:
    """utime + stime of a process, in seconds (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _processes() -> dict[int, str]:
    """pid → command line of every process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
    return found


def cpu_snapshot() -> dict[str, float]:
    """CPU seconds used so far by each group of ``CPU_GROUPS``."""
    processes = _processes()
    gunicorn = [pid for pid, command in processes.items() if "gunicorn" in command and pid != os.getpid()]
    postgres = [pid for pid, command in processes.items() if command.startswith("postgres")]
    idle = Path("/proc/stat").read_text().split("\n", 1)[0].split()[4:6]  # idle, iowait
    return {
        "gunicorn": sum(_cpu_seconds(pid) for pid in gunicorn),
        "postgres": sum(_cpu_seconds(pid) for pid in postgres),
        "client": _cpu_seconds(os.getpid()),
        "idle": sum(int(n) for n in idle) / os.sysconf("SC_CLK_TCK"),
    }


def _add_cpu(total: dict[str, float], before: dict[str, float], after: dict[str, float]) -> None:
    for group in CPU_GROUPS:
        total[group] += after[group] - before[group]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def double_admissions(database_url: str) -> tuple[int, int]:
    """(admitted registrations, registrations with more than one 'ok' entry scan)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        admitted = db.session.execute(
            db.select(db.func.count(Registration.id)).where(Registration.checked_in_at.is_not(None))
        ).scalar_one()
        twice = db.session.execute(
            db.select(db.func.count()).select_from(
                db.select(Scan.registration_id)
                .where(Scan.result == "ok", Scan.kind == "entry")
                .group_by(Scan.registration_id)
                .having(db.func.count() > 1)
                .subquery()
            )
        ).scalar_one()
        db.engine.dispose()
    return admitted, twice


def fetch_one(database_url: str, sql: str, **params) -> tuple:
    """One row of ``sql``, on a connection of its own (a fresh snapshot of statistics)."""
    engine = sqlalchemy.create_engine(database_url)
    try:
        with engine.connect() as connection:
            return tuple(connection.execute(sqlalchemy.text(sql), params).one())
    finally:
        engine.dispose()


def wal_position(database_url: str) -> str:
    """Where the whole PostgreSQL server's WAL ends now (an LSN)."""
    return str(fetch_one(database_url, "SELECT pg_current_wal_insert_lsn()")[0])


def wal_bytes_since(database_url: str, position: str) -> int:
    return int(fetch_one(
        database_url,
        "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), CAST(:position AS pg_lsn))",
        position=position,
    )[0])


def hot_share(database_url: str, updates_expected: int) -> float:
    """Share of the registration table's updates that were HOT (wrote no index entry).
    Each server process reports its counts when it ends, so this waits (up to 5 s) until
    gunicorn's connections have reported ``updates_expected`` updates."""
    deadline = time.monotonic() + 5
    while True:
        updates, hot = fetch_one(database_url, "SELECT n_tup_upd, n_tup_hot_upd"
                                 " FROM pg_stat_user_tables WHERE relname = 'registration'")
        if updates >= updates_expected or time.monotonic() > deadline:
            return hot / updates if updates else 0.0
        time.sleep(0.1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--clients", default="8,32")
    parser.add_argument("--scans-per-client", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5,
                        help="alternating /healthz and scan rounds per client count")
    parser.add_argument("--cpu", action="store_true",
                        help="also print CPU per request by process group, from /proc")
    parser.add_argument("--stdlib-client", action="store_true",
                        help="send with http.client, which costs the shared cores more per request")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per gunicorn worker (gthread worker class when more than 1)")
    args = parser.parse_args()
    if not args.database_url.startswith("postgresql"):
        raise SystemExit("bench/checkin.py measures PostgreSQL: pass --database-url postgresql+psycopg://…")
    client_counts = [int(n) for n in args.clients.split(",")]
    per_client = args.scans_per_client
    rounds = max(1, args.rounds)
    signing_key = secrets.token_hex(32)

    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp)
        total = sum(client_counts) * per_client
        codes, token = prepare(args.database_url, signing_key, total, instance)
        port = free_port()
        process = start_gunicorn(args.database_url, signing_key, port, instance, args.threads)
        rows, cpu_rows = [], []
        try:
            # Warm both workers (imports, connection pools, key loading).
            for _ in range(20):
                request(port, "GET", "/healthz", None, {})
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            next_code = 0
            wal_start = wal_position(args.database_url)
            for clients in client_counts:
                # Alternate short /healthz and scan rounds so that load from elsewhere on
                # the machine weighs on both figures alike; the ratio is what counts.
                h_elapsed = c_elapsed = 0.0
                used = {kind: dict.fromkeys(CPU_GROUPS, 0.0) for kind in ("healthz", "scan")}
                h_lat, c_lat, c_statuses, failures = [], [], [], []
                per_round = -(-per_client // rounds)
                for start in range(0, per_client, per_round):
                    size = min(per_round, per_client - start)
                    health = [[("GET", "/healthz", None, {})] * size for _ in range(clients)]
                    before = cpu_snapshot() if args.cpu else None
                    elapsed, latencies, _, failed = run_clients(clients, health, port, args.stdlib_client)
                    if before is not None:
                        _add_cpu(used["healthz"], before, cpu_snapshot())
                    h_elapsed += elapsed
                    h_lat += latencies
                    failures += failed
                    scans = []
                    for n in range(clients):
                        jobs = []
                        for code in codes[next_code: next_code + size]:
                            body = json.dumps({"code": code, "gate": f"Gate {n % 4 + 1}",
                                               "nonce": uuid.uuid4().hex, "type": "entry"}).encode()
                            jobs.append(("POST", "/api/v1/checkin", body, headers))
                        next_code += size
                        scans.append(jobs)
                    before = cpu_snapshot() if args.cpu else None
                    elapsed, latencies, statuses, failed = run_clients(clients, scans, port, args.stdlib_client)
                    if before is not None:
                        _add_cpu(used["scan"], before, cpu_snapshot())
                    c_elapsed += elapsed
                    c_lat += latencies
                    c_statuses += statuses
                    failures += failed
                rows.append((clients, len(h_lat) / h_elapsed, percentile(h_lat, 50), percentile(h_lat, 99),
                             len(c_lat) / c_elapsed, percentile(c_lat, 50), percentile(c_lat, 99),
                             c_statuses.count("ok"), len(c_statuses), len(failures)))
                cpu_rows.append((clients, {kind: {group: seconds * 1000 / len(lat)
                                                  for group, seconds in used[kind].items()}
                                           for kind, lat in (("healthz", h_lat), ("scan", c_lat))}))
            wal_size = wal_bytes_since(args.database_url, wal_start)
        finally:
            stop(process)
        admitted, twice = double_admissions(args.database_url)
        hot = hot_share(args.database_url, admitted)

    workers = "2 sync workers" if args.threads <= 1 else f"2 gthread workers x {args.threads} threads"
    sender = "http.client" if args.stdlib_client else "raw sockets"
    print(f"gunicorn {workers} · PostgreSQL · {per_client} requests per client ({sender}) · "
          f"cores: {os.cpu_count()}")
    print(f"{'clients':>7} | {'healthz/s':>9} {'p50 ms':>7} {'p99 ms':>7} | {'scans/s':>8} {'p50 ms':>7} "
          f"{'p99 ms':>7} | {'ok':>9} | {'ratio':>5} | errors")
    for clients, hr, hp50, hp99, cr, cp50, cp99, ok, answered, errors in rows:
        print(f"{clients:>7} | {hr:9.0f} {hp50:7.1f} {hp99:7.1f} | {cr:8.0f} {cp50:7.1f} {cp99:7.1f} | "
              f"{ok:>4}/{answered:<4} | {cr / hr:5.2f} | {errors}")
    print(f"admitted registrations: {admitted} of {total} scanned; double admissions: {twice}")
    print(f"WAL per scan (the whole server's): {wal_size / total:.0f} bytes; "
          f"check-ins that were HOT updates of the registration row: {hot:.0%}")
    if args.cpu:
        print("CPU per request, ms (from /proc; idle: all cores idle meanwhile)")
        print(f"{'clients':>7} {'request':>8} | " + " ".join(f"{group:>9}" for group in CPU_GROUPS))
        for clients, per_kind in cpu_rows:
            for kind, groups in per_kind.items():
                print(f"{clients:>7} {kind:>8} | " + " ".join(f"{groups[g]:9.2f}" for g in CPU_GROUPS))


if __name__ == "__main__":
    main()
