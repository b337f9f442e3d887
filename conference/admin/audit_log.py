"""Reading the audit log: entries narrowed by person, kind and dates, newest first, a page
at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ..extensions import db
from ..models import AuditEntry
from ..timefmt import to_utc

PER_PAGE = 50


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    kind: str = ""
    since: date | None = None  # local dates in the conference's time zone, both included
    until: date | None = None


@dataclass
class AuditPage:
    entries: list[AuditEntry]
    page: int
    pages: int
    total: int


def _conditions(chosen: AuditFilter, tz_name: str) -> list:
    conditions = []
    if chosen.actor:
        conditions.append(AuditEntry.actor == chosen.actor)
    if chosen.kind:
        conditions.append(AuditEntry.kind == chosen.kind)
    if chosen.since:
        conditions.append(AuditEntry.at >= to_utc(datetime.combine(chosen.since, time()), tz_name))
    if chosen.until:
        end = datetime.combine(chosen.until + timedelta(days=1), time())
        conditions.append(AuditEntry.at < to_utc(end, tz_name))
    return conditions


def audit_page(chosen: AuditFilter, page: int, tz_name: str) -> AuditPage:
    conditions = _conditions(chosen, tz_name)
    total = db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(*conditions)) or 0
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, page), pages)
    entries = db.session.execute(
        db.select(AuditEntry).where(*conditions)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset((page - 1) * PER_PAGE).limit(PER_PAGE)
    ).scalars().all()
    return AuditPage(list(entries), page, pages, total)


def _distinct(column) -> list[str]:
    return list(db.session.execute(db.select(column).distinct().order_by(column)).scalars())


def actors() -> list[str]:
    """Everyone who has an entry: the filter's choices."""
    return _distinct(AuditEntry.actor)


def kinds() -> list[str]:
    return _distinct(AuditEntry.kind)


def entries_about(target_type: str, target_id: int) -> list[AuditEntry]:
    """Every entry about one thing (a registration's history), oldest first."""
    return list(db.session.execute(
        db.select(AuditEntry)
        .where(AuditEntry.target_type == target_type, AuditEntry.target_id == target_id)
        .order_by(AuditEntry.at, AuditEntry.id)
    ).scalars())
