"""PostgreSQL: the scanner's busiest request without BEGIN and COMMIT round trips.

A main-door entry scan is, in the common case, one statement that reads, admits and logs
atomically by itself (``service._ADMIT_FIRST_ENTRY``; from a scanner device, checking
its token too), or two when a staff login is read first. A device's statement runs in
autocommit on a pooled connection of its own, before any session is set up
(``service._run_first_entry``). For the rest of the API's scans,
``autocommit_statements`` runs a view's statements each on its own (the driver's
autocommit), which saves the BEGIN and COMMIT round trips around them.

Whatever needs several statements to be atomic — the general scan path, room doors with
their seat count under a row lock — calls ``need_transaction`` first: it ends the
autocommit phase, and the next statement opens an ordinary transaction on a connection
from the pool. ``scanlog.in_scan_transaction`` does so for every scan it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from ..extensions import db

AUTOCOMMIT = "AUTOCOMMIT"


def autocommit_statements(view: Callable) -> Callable:
    """View decorator: on PostgreSQL, each statement of the request commits alone until
    ``need_transaction`` is called."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if db.engine.dialect.name == "postgresql" and not db.session().in_transaction():
            db.session.connection(execution_options={"isolation_level": AUTOCOMMIT})
        return view(*args, **kwargs)

    return wrapper


def in_autocommit() -> bool:
    return db.session().in_transaction() and (
        db.session.connection().get_execution_options().get("isolation_level") == AUTOCOMMIT
    )


def need_transaction() -> None:
    """End the autocommit phase, if any: what follows runs in one transaction."""
    if in_autocommit():
        db.session.commit()
