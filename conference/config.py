"""Configuration: defaults, the environment, then ``instance/config.py``.

``DefaultConfig`` holds every setting the app reads, each with its default; the README's
configuration table lists them all (``tests/test_config.py`` keeps the three in step).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import ClassVar

# Settings an environment variable of the same name sets (an empty one counts as unset).
FROM_ENVIRONMENT = (
    "PUBLIC_URL", "BADGE_SIGNING_KEY",
    "MAIL_SERVER", "MAIL_PORT", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_SENDER",
    "METRICS_TOKEN",
    "WEB_WORKERS", "TRUSTED_PROXIES",
)


class DefaultConfig:
    # Signs sessions and CSRF tokens: from the environment, else made once into instance/.
    SECRET_KEY = None
    # Ed25519 key of the badge codes (64 hex digits); None: made once into instance/.
    BADGE_SIGNING_KEY = None
    # The site's address as attendees reach it: the links in e-mails start with it, never
    # with the Host header of the request that happened to send them.
    PUBLIC_URL = "http://127.0.0.1:5000"
    # Slug of the conference the site shows and the door admits to; None: the latest loaded.
    DEFAULT_CONFERENCE = None
    # Redis of the bulk badge jobs, which an RQ worker runs (see the README); None: a thread
    # of the web process runs them. Set in the environment, it holds the rate limits too.
    REDIS_URL = None
    # Bearer token that reads /metrics (Prometheus); None: /metrics does not exist (404).
    METRICS_TOKEN = None

    # How many processes serve the app; gunicorn.conf.py sets it (conference.deployment).
    # None: one. With several, mail is only queued by requests, unless MAIL_SEND_INLINE.
    WEB_WORKERS = None
    # Proxies in front of the app that each add to X-Forwarded-For (and set -Proto): only
    # then does the address a rate limit counts come from that header, this many hops
    # back (Werkzeug's ProxyFix). 0: none; the connecting peer counts, the header is ignored.
    TRUSTED_PROXIES = 0

    # Extra options of the SQLAlchemy engine (pool sizes and the like).
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {}
    # Seconds a pooled connection may sit idle before it is pinged on its next use
    # (``conference.db_ping``); 0 pings on every use, None never.
    DATABASE_PING_AFTER_IDLE = 1.0
    # Largest request body in bytes (an upload, a form, a JSON document).
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    # Cookies go with links followed from other sites, never with their forms or requests.
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Cookies only over https: turned on by itself when PUBLIC_URL starts with https://.
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    # The remember-me cookie's name (Flask-Login's default), and how long it lasts at most.
    REMEMBER_COOKIE_NAME = "remember_token"
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    # A form's CSRF token is good for the whole session, however long the form stays open.
    WTF_CSRF_TIME_LIMIT = None
    # Flask-Babel's fallbacks; each request's language is chosen in conference/i18n.py.
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"

    # Where rate-limit counters live; a REDIS_URL environment variable replaces it.
    RATELIMIT_STORAGE_URI = "memory://"
    # Limited answers carry X-RateLimit-* headers and 429s a Retry-After.
    RATELIMIT_HEADERS_ENABLED = True
    # Registrations per address (form and API); generous, as a venue's Wi-Fi puts hundreds
    # of people behind one address.
    REGISTRATION_RATE_LIMIT = "30/minute"
    # Requests for the manage link to be sent again, per address.
    RESEND_RATE_LIMIT = "10/minute"
    # Log-in attempts per address.
    LOGIN_RATE_LIMIT = "20 per minute"
    # Log-in attempts per account, from any number of addresses (password guessing spread
    # over many machines); an attacker can slow the account's owner down, not lock it out
    # for longer than the window.
    LOGIN_ACCOUNT_RATE_LIMIT = "10 per minute;60 per hour"
    # Programme and room-sign PDFs rendered per address (one served from the cache costs
    # nothing and is not counted): each render takes about a second of a worker.
    PDF_RENDER_RATE_LIMIT = "10/minute"

    # SMTP server of outgoing mail; None: messages are written to instance/outbox/.
    MAIL_SERVER = None
    MAIL_PORT = 25
    # Log in to the SMTP server when set.
    MAIL_USERNAME = None
    MAIL_PASSWORD = ""
    # SMTP over TLS from the start (usually port 465), or STARTTLS after connecting (587).
    MAIL_USE_SSL = False
    MAIL_USE_TLS = False
    # Seconds to wait for the SMTP server.
    MAIL_TIMEOUT = 10
    # The From address of every message.
    MAIL_SENDER = "registration@localhost"
    # Send at once from the request that queued a message (True), or leave it to
    # `flask send-mail` (False); None: at once only when one process serves (WEB_WORKERS).
    MAIL_SEND_INLINE = None
    # Attempts before a message that keeps failing is given up.
    MAIL_MAX_ATTEMPTS = 8

    # Days the personal data of a conference's registrations is kept after it ended;
    # `flask purge-personal-data` (run daily) erases it then, keeping the counts.
    RETENTION_DAYS = 180
    # Seconds a mailed link to set an account's password (an invitation) stays good.
    INVITATION_MAX_AGE = 7 * 24 * 3600
    # Seconds between two refreshes of the organisers' live dashboard (/admin).
    DASHBOARD_REFRESH_SECONDS = 15

    # Rendered programme and room-sign PDFs kept in memory, per process.
    PDF_CACHE_ENTRIES = 16

    # Folder of uploaded speaker photos and exhibitor logos; None: instance/uploads/.
    # Several app servers share one (a network folder) or each serves only its own uploads.
    UPLOAD_DIR = None
    # Largest image upload in bytes, and its largest side in pixels; a form carrying one
    # may be this much larger than MAX_CONTENT_LENGTH.
    UPLOAD_MAX_BYTES = 5_000_000
    UPLOAD_MAX_PIXELS = 4000


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
    for key in FROM_ENVIRONMENT:
        if value := os.environ.get(key):
            app.config[key] = value

    app.config.from_pyfile("config.py", silent=True)
    if overrides:
        app.config.update(overrides)

    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY") or _read_or_create_secret(
            instance / "secret_key"
        )
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgresql://"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + uri[len("postgresql://"):]
