"""How the app is deployed, as far as the app must know it: how many processes serve it.

Two things depend on it. Rate limits kept in memory are counted by each process alone,
so with several workers an address gets several times its limit: start-up warns unless
``REDIS_URL`` shares them. And an SMTP conversation inside a web request holds a worker
for as long as the mail server takes (``MAIL_TIMEOUT`` at worst); with several workers
behind a balancer, requests only queue their mail and ``flask send-mail --every`` (a
process of its own) delivers it.

``WEB_WORKERS`` says how many processes serve; the project's ``gunicorn.conf.py`` sets it
for its workers from gunicorn's own ``workers`` setting (``-w``, or ``WEB_CONCURRENCY``).
"""

from __future__ import annotations

from flask import Flask


def web_workers(app: Flask) -> int:
    """How many processes serve the app (``WEB_WORKERS``; 1 when unknown)."""
    try:
        return max(1, int(app.config["WEB_WORKERS"] or 1))
    except (TypeError, ValueError):
        return 1


def sends_mail_inline(app: Flask) -> bool:
    """Whether a request that queued a message delivers it at once: ``MAIL_SEND_INLINE``
    when set, else only when one process serves the app."""
    setting = app.config["MAIL_SEND_INLINE"]
    if setting is None:
        return web_workers(app) <= 1
    return str(setting).lower() in ("1", "true", "yes")


def limits_counted_apart(app: Flask) -> bool:
    """Several processes each keep their own rate-limit counters (in memory)."""
    storage = str(app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
    return web_workers(app) > 1 and storage.startswith("memory://")


def init_app(app: Flask) -> None:
    if limits_counted_apart(app):
        app.logger.warning(
            "%d workers keep their rate limits in memory, each counting alone: an address "
            "gets %d times each limit. Set REDIS_URL to share them.",
            web_workers(app), web_workers(app),
        )
