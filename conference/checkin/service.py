"""Door check-in at the main door: one admission per badge, every scan logged, replays
answered once.

``check_in`` is the single entry point for the scanner page, the JSON API, the desk
(manual and walk-in check-in) and offline sync. It verifies the signed badge code, reads
the badge holder (``holders.decide``: one SELECT), decides the outcome and admits with
one conditional ``UPDATE … WHERE checked_in_at IS NULL``: the database, not Python,
decides which of several simultaneous scans wins. The scan is appended to the ``scan``
log in the same transaction, committed before returning (``scanlog``).

On PostgreSQL the common case — the first entry scan of a badge that may enter — is one
statement that reads, admits and logs together (``_ADMIT_FIRST_ENTRY``); sent by a scanner
device, the same statement checks the device's token as well (``first_entry_by_device``).
Every other scan takes the general path above.

The main door admits badges of one conference, the site's current one (as the public pages
show it: ``DEFAULT_CONFERENCE``, else the latest); a badge of another conference held in
the same database is ``invalid`` there.

Re-entry after an exit scan follows the main door list's setting,
``Conference.checkin_reentry``; room doors have their own (``rooms``).
"""

from __future__ import annotations

from datetime import datetime

import psycopg
from flask import current_app
from sqlalchemy.exc import IntegrityError

from ..badges.tokens import InvalidCode, read_own_code
from ..extensions import db
from ..metrics import count_scan
from ..models import Presence, Registration
from .holders import (  # noqa: F401  (re-exported: the names callers know)
    CANCELLED_STATUSES,
    UNCONFIRMED_STATUSES,
    BadgeHolder,
    Status,
    decide,
    door_conference_id,
)
from .reentry import left_main_door
from .scanlog import (  # noqa: F401  (re-exported)
    MAX_GATE,
    MAX_LOGGED_CODE,
    MAX_NONCE,
    MAX_SCANNED_BY,
    SCAN_KINDS,
    CheckinInputError,
    CheckinResult,
    NonceConflict,
    ScanKind,
    ScanRequest,
    in_scan_transaction,
    scan_request,
    scan_row,
)

_registration = Registration.__table__
_presence = Presence.__table__
_ADMIT = (
    _registration.update()
    .where(_registration.c.id == db.bindparam("rid"), _registration.c.checked_in_at.is_(None))
    .values(checked_in_at=db.bindparam("at"), checked_in_gate=db.bindparam("gate"))
)
_ADMISSION = db.select(_registration.c.checked_in_at, _registration.c.checked_in_gate).where(
    _registration.c.id == db.bindparam("rid")
)
_REENTER = (
    _presence.update()
    .where(_presence.c.registration_id == db.bindparam("rid"), _presence.c.inside.is_(False))
    .values(inside=True, changed_at=db.bindparam("at"))
)
# PostgreSQL, the door's busiest path: a first entry scan of a badge that may enter is
# read, admitted and logged in one statement. It matches exactly what ``decide`` lets in
# (this public id and badge version, a status not refused, the conference whose tag the
# code carries: the first 4 bytes of SHA-256 of its slug, as ``conference_tag``, which must
# be the door's conference) and only while the badge is not admitted yet, so the database
# decides between simultaneous scans; tests/checkin/test_door_rule_parity.py runs one
# table of cases through both. Every value is a bound parameter.
# When it matches nothing, the scan takes the general path, which says why.

# The statuses ``decide`` refuses (``cancelled``, ``not_confirmed``), bound as one array.
_REFUSED_STATUSES = [*CANCELLED_STATUSES, *UNCONFIRMED_STATUSES]

# The conference the main door admits to, as ``current.current_conference`` picks it: the
# configured ``DEFAULT_CONFERENCE`` (``door_slug``), else the latest one.
_DOOR_CONFERENCE = """SELECT door.id FROM conference AS door
                  WHERE CAST(%(door_slug)s AS VARCHAR) IS NULL OR door.slug = %(door_slug)s
                  ORDER BY door.starts_on DESC, door.id DESC LIMIT 1"""


def _first_entry_statement(by_device: bool):
    """The one-statement first admission (SQL for the psycopg driver, see
    ``_run_first_entry``); ``by_device``: only for the unrevoked scanner device holding
    ``token_hash``, which the log row names as the API does (``ApiCaller.log_name``), so a
    scanner's scan needs no separate token lookup."""
    if by_device:
        device = """device AS (
            SELECT id, name FROM device_token
            WHERE token_hash = %(token_hash)s AND revoked_at IS NULL
        ), """
        also_from = ", device"
        scanned_by = "left('device:' || device.id || ':' || device.name, %(max_scanned_by)s)"
    else:
        device, also_from, scanned_by = "", "", "CAST(%(scanned_by)s AS VARCHAR)"
    return (
        f"""
        WITH {device}admitted AS (
            UPDATE registration AS r SET checked_in_at = %(scanned_at)s, checked_in_gate = %(gate)s
            FROM conference AS c, attendee_category AS cat{also_from}
            WHERE r.public_id = %(public_id)s AND r.badge_version = %(version)s
              AND r.checked_in_at IS NULL AND r.status <> ALL(%(refused_statuses)s)
              AND c.id = r.conference_id AND cat.id = r.category_id
              AND substring(sha256(convert_to(c.slug, 'UTF8')) FROM 1 FOR 4) = %(conference_tag)s
              AND c.id = ({_DOOR_CONFERENCE})
            RETURNING r.id, r.conference_id, r.public_id, r.badge_version, r.status, r.name,
                      r.organisation, c.slug, c.timezone, c.checkin_reentry,
                      cat.name_zh, cat.name_en, cat.colour, {scanned_by} AS scanned_by
        ), logged AS (
            INSERT INTO scan (conference_id, registration_id, session_id, code, nonce, gate,
                              kind, result, scanned_at, received_at, scanned_by, annulled_at)
            SELECT conference_id, id, NULL, %(code)s, %(nonce)s, %(gate)s, 'entry', 'ok',
                   %(scanned_at)s, %(received_at)s, scanned_by, NULL
            FROM admitted
        )
        SELECT id, conference_id, public_id, badge_version, status, name, organisation,
               slug, timezone, checkin_reentry, name_zh, name_en, colour
        FROM admitted
        """
    )


_ADMIT_FIRST_ENTRY = _first_entry_statement(by_device=False)
_ADMIT_FIRST_ENTRY_BY_DEVICE = _first_entry_statement(by_device=True)


def _admit(registration_id: int, at: datetime, gate: str | None) -> bool:
    """Set the check-in time unless it is set already; True when this call set it."""
    result = db.session.connection().execute(
        _ADMIT, {"rid": registration_id, "at": at, "gate": gate}
    )
    return result.rowcount == 1


def _reenter(registration_id: int, at: datetime) -> bool:
    """Let an attendee who left come back in; True when this call flipped them inside."""
    result = db.session.connection().execute(_REENTER, {"rid": registration_id, "at": at})
    return result.rowcount == 1


def mark_outside(registration_id: int, at: datetime) -> None:
    """Record that an admitted attendee left (exit scan)."""
    result = db.session.execute(
        db.update(Presence)
        .where(Presence.registration_id == registration_id)
        .values(inside=False, changed_at=at)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 0:
        try:
            with db.session.begin_nested():
                db.session.add(Presence(registration_id=registration_id, inside=False, changed_at=at))
        except IntegrityError:
            pass  # a simultaneous exit scan wrote the row: it says the same


def _admitted(holder: BadgeHolder) -> tuple[datetime | None, str | None]:
    """When and where the badge was admitted (as committed now, or as read)."""
    if holder.checked_in_at is not None:
        return holder.checked_in_at, holder.checked_in_gate
    # Another scan admitted this badge since it was read: its time and gate.
    return tuple(db.session.connection().execute(_ADMISSION, {"rid": holder.id}).one())


def _not_first(holder: BadgeHolder, scan: ScanRequest) -> CheckinResult:
    """An entry scan of a badge admitted before: re-entry per the main door's setting."""
    checked_in_at, gate = _admitted(holder)
    if holder.main_door_reentry:
        if _reenter(holder.id, scan.at):
            return CheckinResult("ok", holder, checked_in_at, gate)
        return CheckinResult("already_checked_in", holder, checked_in_at, gate)
    reentry = False if left_main_door(holder.id) else None
    return CheckinResult("already_checked_in", holder, checked_in_at, gate, reentry=reentry)


def _one_statement_admission() -> bool:
    return db.engine.dialect.name == "postgresql"


def _admit_first_entry(scan: ScanRequest, device_token_hash: str | None = None) -> BadgeHolder | None:
    """PostgreSQL: admit and log a first entry in one statement, committed; the badge
    holder when it did, None when the badge is not one that may enter now, the code is not
    one issued here or the nonce was used before (the general path then says which). With
    ``device_token_hash``, only when that device token is valid, too."""
    try:
        claim = read_own_code(scan.code)  # type: ignore[arg-type]
    except InvalidCode:
        return None
    params = {
        "code": scan.logged_code,
        "nonce": scan.nonce,
        "gate": scan.gate,
        "scanned_at": scan.at,
        "received_at": scan.received_at,
        "public_id": claim.public_id,
        "version": claim.version,
        "conference_tag": bytes.fromhex(claim.conference_tag),
        "door_slug": current_app.config["DEFAULT_CONFERENCE"] or None,
        "refused_statuses": _REFUSED_STATUSES,
    }
    if device_token_hash is None:
        statement, params["scanned_by"] = _ADMIT_FIRST_ENTRY, scan.scanned_by
    else:
        statement = _ADMIT_FIRST_ENTRY_BY_DEVICE
        params.update(token_hash=device_token_hash, max_scanned_by=MAX_SCANNED_BY)
    try:
        row = _run_first_entry(statement, params)
    except BaseException as exc:
        if db.session().in_transaction():
            db.session.rollback()
        if isinstance(exc, psycopg.IntegrityError):  # a nonce logged before: the general
            return None  # path answers
        raise
    return None if row is None else BadgeHolder.not_admitted_before(row)


def _run_first_entry(statement: str, params: dict) -> tuple | None:
    """The one-statement admission's row, committed, run with the driver's own cursor.

    The door's hottest statement skips SQLAlchemy's per-execution bookkeeping and result
    metadata; psycopg still prepares it server-side. When the session has not begun (a
    scanner device's request, ``first_entry_by_device``), the statement takes a pooled
    connection of its own in autocommit: it commits by itself, and the session is never
    set up. Otherwise it runs on the session's connection, committing what the session
    holds (in ``autocommit_statements``, nothing: it committed by itself)."""
    if db.session().in_transaction():
        driver_connection = db.session.connection().connection.driver_connection
        row = _fetch_one(driver_connection, statement, params)
        if not driver_connection.autocommit:
            db.session.commit()
        return row
    pooled = db.engine.raw_connection()
    driver_connection = pooled.driver_connection
    try:
        driver_connection.autocommit = True
        return _fetch_one(driver_connection, statement, params)
    except psycopg.OperationalError:
        pooled.invalidate()  # broken: the pool opens a new one next time
        raise
    finally:
        if not driver_connection.closed:
            driver_connection.autocommit = False  # as the pool's other users expect
        pooled.close()


def _fetch_one(driver_connection: psycopg.Connection, statement: str, params: dict) -> tuple | None:
    with driver_connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone()


def _main_door(scan: ScanRequest) -> tuple[CheckinResult, int | None]:
    decision = decide(scan.code, door_conference_id())
    holder = decision.holder
    if holder is None:
        return CheckinResult(decision.status, None, None, scan.gate), None
    conference_id = holder.conference_id
    if decision.status != "ok":
        return CheckinResult(decision.status, holder, None, scan.gate), conference_id
    if scan.kind == "exit":
        if holder.checked_in_at is not None:
            mark_outside(holder.id, scan.at)
        return CheckinResult("ok", holder, holder.checked_in_at, scan.gate), conference_id
    if holder.checked_in_at is None and _admit(holder.id, scan.at, scan.gate):
        return CheckinResult("ok", holder, scan.at, scan.gate), conference_id
    return _not_first(holder, scan), conference_id


def check_in(
    code: str,
    *,
    gate: str | None,
    nonce: str | None,
    kind: ScanKind = "entry",
    scanned_by: str | None,
    scanned_at: datetime | None = None,
    one_statement: bool = True,
) -> CheckinResult:
    """Scan ``code`` at ``gate``; admit on an entry scan when allowed; log the scan.

    ``kind="exit"`` records the person leaving: ``ok`` for a valid badge of a confirmed
    registration (whether or not it was scanned in), nothing about the admission changes.
    ``scanned_at`` (naive UTC) is when the device read the badge; default now.
    ``one_statement=False`` skips the one-statement first admission (already tried).
    Raises ``CheckinInputError`` for an unstorable gate/nonce/kind and ``NonceConflict``
    when ``nonce`` was used before for a different code.
    """
    scan = scan_request(
        code, gate=gate, nonce=nonce, kind=kind, scanned_by=scanned_by, scanned_at=scanned_at
    )
    if one_statement and scan.kind == "entry" and _one_statement_admission():
        admitted = _admit_first_entry(scan)
        if admitted is not None:
            return _counted(CheckinResult("ok", admitted, scan.at, scan.gate))
    return _counted(in_scan_transaction(scan, lambda: _main_door(scan)))


def _counted(result: CheckinResult) -> CheckinResult:
    count_scan(result.status, result.gate)
    return result


def first_entry_by_device(
    code: str,
    *,
    device_token_hash: str,
    gate: str | None,
    nonce: str | None,
    scanned_at: datetime | None = None,
) -> CheckinResult | None:
    """A scanner device's entry scan at the main door, on PostgreSQL, when it is the
    badge's first admission: the device token is checked in the admitting statement
    itself. None when that did not admit (the token is unknown or revoked, the badge may
    not enter, another database…): authenticate the device as usual, then ``check_in``
    with ``one_statement=False``. Raises ``CheckinInputError`` like ``check_in``."""
    if not _one_statement_admission():
        return None
    scan = scan_request(code, gate=gate, nonce=nonce, kind="entry", scanned_by=None,
                        scanned_at=scanned_at)
    admitted = _admit_first_entry(scan, device_token_hash)
    return None if admitted is None else _counted(CheckinResult("ok", admitted, scan.at, scan.gate))
