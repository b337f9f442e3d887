"""Secrets out of our log lines: manage tokens, device tokens and badge codes.

A manage link (``/registration/<token>``) opens a person's registration to whoever holds
it, a device token opens the check-in API, and a badge code admits at the door; an
access log keeps every path and query string it sees, for anyone who reads the logs.
``RedactSecrets`` rewrites each record of werkzeug's request log and of the app's own
loggers (``conference`` and its modules) before any handler writes it. Access logs of a
server in front (gunicorn's ``--access-logfile``, a proxy) are theirs to configure.
"""

from __future__ import annotations

import logging
import re

from flask import Flask

REDACTED = "[redacted]"

_PATTERNS = (
    # The manage token in /registration/<token>, /registration/<token>/badge.pdf…
    (re.compile(r"(/registration/)[^/?#\s\"']+"), rf"\g<1>{REDACTED}"),
    # Query parameters that carry one: a badge code (?code=), a manage token (?again=,
    # ?token=), a device or access token; also percent-encoded in a ?next= address.
    (re.compile(r"((?:[?&]|%3F|%26)(?:code|token|again|access_token)(?:=|%3D))[^&#%\s\"']*",
                re.IGNORECASE),
     rf"\g<1>{REDACTED}"),
    # A badge code anywhere else: a long run of base-32 (``badges.tokens.issue_code``).
    (re.compile(r"\b[A-Z2-7]{60,}\b"), REDACTED),
    # A scanner device's token wherever it shows (``issue_device_token``: dev_…).
    (re.compile(r"\bdev_[A-Za-z0-9_-]{8,}"), f"dev_{REDACTED}"),
    (re.compile(r"(\bBearer\s+)\S+", re.IGNORECASE), rf"\g<1>{REDACTED}"),
)


def redact(text: str) -> str:
    """``text`` with every token and badge code it holds replaced by ``[redacted]``."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecrets(logging.Filter):
    """Rewrites a record's message, its arguments merged in, when it holds a secret."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # malformed: the handler reports it as usual
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


_FILTER = RedactSecrets()


def our_loggers(app: Flask) -> list[logging.Logger]:
    """werkzeug's request log, the app's logger and every module logger of the package."""
    names = {"werkzeug", app.logger.name, __package__}
    names.update(
        name for name in logging.root.manager.loggerDict if name.startswith(f"{__package__}.")
    )
    return [logging.getLogger(name) for name in sorted(names)]


def init_app(app: Flask) -> None:
    # A filter on a logger sees only what is logged on that very logger, not what its
    # children pass up: so each one gets it (once).
    for logger in our_loggers(app):
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
