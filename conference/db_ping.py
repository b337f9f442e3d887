"""Pinging a pooled database connection before use, but only after it sat idle.

SQLAlchemy's ``pool_pre_ping`` pings on every checkout: one more round trip to the
database for every request, which is a tenth of a door scan's time in the worker. The
connections it guards against are those the database or a firewall dropped while they sat
in the pool (a restart, an idle timeout), and such a drop needs the connection to have sat
there. So a connection is pinged only when it comes out of the pool after more than
``DATABASE_PING_AFTER_IDLE`` seconds (default 1; ``0`` pings on every checkout, as
``pool_pre_ping`` does; ``None`` never pings). A dead one is replaced before the request
uses it: the pool retries the checkout with a new connection.

A connection that dies in the moment between two busy requests is not caught here: that
request fails once (the check-in API answers 500, and the scanner page then admits on the
signature and queues the scan), and the pool replaces the connection. When SQLAlchemy ran
the failing statement, it also recycles the pool's other connections.
"""

from __future__ import annotations

import time

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError

_IDLE_SINCE = "conference.idle_since"


def watch(engine: Engine, ping_after_idle: float | None) -> None:
    """Ping ``engine``'s pooled connections that sat idle longer than ``ping_after_idle``."""
    if ping_after_idle is None:
        return
    dialect = engine.dialect

    def mark_idle(dbapi_connection, record) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    def ping_if_idle(dbapi_connection, record, proxy) -> None:
        idle_since = record.info.get(_IDLE_SINCE)
        if idle_since is not None and time.monotonic() - idle_since <= ping_after_idle:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as exc:
            if dialect.is_disconnect(exc, dbapi_connection, None):
                raise DisconnectionError("pooled connection was closed") from exc
            raise

    event.listen(engine, "connect", mark_idle)
    event.listen(engine, "checkin", mark_idle)
    event.listen(engine, "checkout", ping_if_idle)
