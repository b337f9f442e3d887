"""Backup and restore: ``flask --app conference backup DIR`` and ``restore DIR``.

A backup is a folder:

- ``database.dump`` — PostgreSQL's own consistent dump (``pg_dump --format=custom``, one
  snapshot however busy the site is), or ``database.sqlite`` — SQLite's online backup of
  the file (consistent too, taken while others write);
- ``instance/`` — the instance folder without the SQLite file: the keys that sign sessions
  and badges (without them no badge issued before scans again), ``config.py``, uploaded
  images, print-job PDFs and mail copies;
- ``manifest.json`` — when, from which database kind and migration, and the SHA-256 of
  every file, checked before anything is restored.

``restore`` goes into an empty database only (a fresh ``createdb``, or a SQLite path with
no tables): it never merges into or overwrites a site that holds data. It then puts the
instance files back, keys included, replacing keys a fresh install may have made.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from .extensions import db

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite"
INSTANCE = "instance"
FORMAT = 1


class BackupError(Exception):
    """The backup or restore cannot go ahead; the message says why."""


@dataclass
class Summary:
    database: str
    revision: str | None
    files: int
    size: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _libpq(url) -> tuple[str, dict]:
    """A libpq address for pg_dump/pg_restore and the environment carrying the password
    (never on the command line, where ``ps`` shows it)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _sqlite_path(url) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _revision() -> str | None:
    try:
        return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # noqa: BLE001 — a database built without migrations has none
        db.session.rollback()
        return None


def backup(target: Path) -> Summary:
    """Write a backup of this site into the new or empty folder ``target``."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: give a new folder")
    target.mkdir(parents=True, exist_ok=True)
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    revision = _revision()
    if url.get_backend_name() == "postgresql":
        address, env = _libpq(url)
        done = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
             f"--file={target / PG_DUMP}", address],
            env=env, capture_output=True, text=True, check=False)
        if done.returncode:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        kind = "postgresql"
    elif url.get_backend_name() == "sqlite":
        db.session.remove()
        source = sqlite3.connect(_sqlite_path(url))
        copy = sqlite3.connect(target / SQLITE_COPY)
        with copy:
            source.backup(copy)
        copy.close()
        source.close()
        kind = "sqlite"
    else:
        raise BackupError(f"no backup for {url.get_backend_name()} databases")
    database_file = _sqlite_path(url).resolve() if kind == "sqlite" else None
    instance = Path(current_app.instance_path)
    for path in sorted(instance.rglob("*")):
        if path.is_file() and not _is_database_file(path, database_file):
            destination = target / INSTANCE / path.relative_to(instance)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)
    files = {
        str(path.relative_to(target)): _sha256(path)
        for path in sorted(target.rglob("*")) if path.is_file()
    }
    manifest = {"format": FORMAT, "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "database": kind, "revision": revision, "files": files}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return Summary(kind, revision, len(files), sum((target / f).stat().st_size for f in files))


def _is_database_file(path: Path, database_file: Path | None) -> bool:
    """The SQLite database itself and its journals (copied consistently apart)."""
    if database_file is None:
        return False
    return path.resolve() in {database_file, *(Path(f"{database_file}{suffix}") for suffix in
                                               ("-journal", "-wal", "-shm"))}


def _read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} holds no readable {MANIFEST}: not a backup") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')!r} is not one this version reads")
    for name, digest in manifest["files"].items():
        path = source / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"{name} is missing or changed since the backup: not restoring")
    return manifest


def restore(source: Path) -> Summary:
    """Restore the backup in ``source`` into this site's empty database and its instance
    folder."""
    manifest = _read_manifest(source)
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    kind = url.get_backend_name()
    if kind != manifest["database"]:
        raise BackupError(f"the backup is of a {manifest['database']} database; "
                          f"this site uses {kind}")
    db.session.remove()
    if inspect(db.engine).get_table_names():
        raise BackupError("the database is not empty: restore into a new, empty database")
    if kind == "postgresql":
        address, env = _libpq(url)
        done = subprocess.run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
             "--single-transaction", f"--dbname={address}", str(source / PG_DUMP)],
            env=env, capture_output=True, text=True, check=False)
        if done.returncode:
            raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
    else:
        db.engine.dispose()
        copy = sqlite3.connect(source / SQLITE_COPY)
        target = sqlite3.connect(_sqlite_path(url))
        with target:
            copy.backup(target)
        target.close()
        copy.close()
    instance = Path(current_app.instance_path)
    restored = 0
    for name in manifest["files"]:
        if name.startswith(INSTANCE + "/"):
            destination = instance / name[len(INSTANCE) + 1:]
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / name, destination)
            restored += 1
    # Keys read before the restore (a fresh install makes its own) are forgotten.
    current_app.extensions.pop("badge_keys", None)
    db.engine.dispose()
    return Summary(kind, manifest["revision"], restored,
                   sum((source / f).stat().st_size for f in manifest["files"]))
