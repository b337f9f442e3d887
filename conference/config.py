"""Configuration: defaults, the environment, then ``instance/config.py``."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import ClassVar


class DefaultConfig:
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {}
    # Seconds a pooled connection may sit idle before it is pinged on its next use
    # (``conference.db_ping``); 0 pings on every use, None never.
    DATABASE_PING_AFTER_IDLE = 1.0
    WTF_CSRF_TIME_LIMIT = None
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = ("zh", "en")
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Demo conference loaded by `make run` and shown at `/` when several exist.
    DEFAULT_CONFERENCE = None
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    # The site's address as attendees reach it: the links in e-mails start with it, never
    # with the Host header of the request that happened to send them.
    PUBLIC_URL = "http://127.0.0.1:5000"


def _read_or_create_secret(path: Path, nbytes: int = 32) -> str:
    """Return the secret kept in ``path``, generating it once."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(nbytes)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value)
    return value


def load_config(app, overrides: dict | None) -> None:
    """Fill ``app.config`` from defaults, the environment, instance/config.py and overrides."""
    app.config.from_object(DefaultConfig)
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)

    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get(
        "DATABASE_URL", f"sqlite:///{instance / 'conference.sqlite'}"
    )
    if redis_url := os.environ.get("REDIS_URL"):
        app.config["REDIS_URL"] = redis_url
        app.config["RATELIMIT_STORAGE_URI"] = redis_url
    for key in (
        "MAIL_SERVER", "MAIL_PORT", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_SENDER", "PUBLIC_URL"
    ):
        if key in os.environ:
            app.config[key] = os.environ[key]
    if "BADGE_SIGNING_KEY" in os.environ:
        app.config["BADGE_SIGNING_KEY"] = os.environ["BADGE_SIGNING_KEY"]

    app.config.from_pyfile("config.py", silent=True)
    if overrides:
        app.config.update(overrides)

    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY") or _read_or_create_secret(
            instance / "secret_key"
        )
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgresql://"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + uri[len("postgresql://"):]
