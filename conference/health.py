"""``/healthz``: a plain 200 when the app and its database answer; ``/readyz``: whether
this server may take traffic — the database answers, its schema is at the migrations'
head, and Redis answers when ``REDIS_URL`` is set — 200, or 503 with a JSON list of what
failed (for a load balancer or an upgrade script to wait on).

``/healthz`` keeps its database ping: it is the figure the benchmarks compare against, and
an app server whose database is gone is of no use to a load balancer either.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db

bp = Blueprint("health", __name__)

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:  # the database is down: say so, do not crash
        return "database unavailable\n", 503, {"Content-Type": "text/plain"}
    return "ok\n", 200, {"Content-Type": "text/plain"}


@bp.get("/readyz")
def readyz():
    failed = [problem for check in (_database, _redis) if (problem := check())]
    body = {"ready": not failed, "failed": failed}
    headers = {"Cache-Control": "no-store"}
    if failed:
        headers["Retry-After"] = "5"
    return jsonify(body), 503 if failed else 200, headers


def _database() -> dict | None:
    try:
        current = db.session.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except SQLAlchemyError as exc:
        db.session.rollback()
        reason = "no migrations applied" if _reachable() else "unreachable"
        return {"check": "database", "reason": reason, "detail": type(exc).__name__}
    head = _migration_heads()
    if set(current) != head:
        return {"check": "database", "reason": "migrations not at head",
                "detail": f"at {', '.join(sorted(current)) or 'none'}; head {', '.join(sorted(head))}"}
    return None


def _reachable() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        db.session.rollback()
        return False


def _migration_heads() -> set[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cached = current_app.extensions.setdefault("conference.migration_heads", set())
    if not cached:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        cached.update(ScriptDirectory.from_config(config).get_heads())
    return cached


def _redis() -> dict | None:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    try:
        from redis import Redis
        from redis.exceptions import RedisError
    except ImportError:
        return {"check": "redis", "reason": "REDIS_URL is set but the redis package is missing"}
    try:
        Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2).ping()
    except RedisError as exc:
        return {"check": "redis", "reason": "unreachable", "detail": type(exc).__name__}
    return None
