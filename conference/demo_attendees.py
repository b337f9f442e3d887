"""Synthetic attendees for demos and load tests (``seed-demo --attendees N``).

Adds N registrations to a conference by bulk insert (a few thousand rows per statement,
no ORM objects): bilingual names, every category and status, seats in the bookable
sessions with their waiting lists, some checked in (a few of them gone out again), some
cancelled (their badges revoked, as a real cancellation does). Every address is at
``demo.example.org`` and every organisation ends in "(demo)", so synthetic people are told
apart from real ones at a glance. A seeded random generator makes runs repeatable.

The demo's categories hold a few hundred people each; a category too small for its share
of N is enlarged to fit, and the change is reported, since a load test of 100,000
attendees needs a conference that admits them.
"""

from __future__ import annotations

import random
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from .badges.tokens import issue_code
from .extensions import db
from .models import (
    AttendeeCategory,
    BadgeRevocation,
    Conference,
    Presence,
    Registration,
    Scan,
    Session,
)
from .models.base import utcnow
from .models.checkin import ALL_VERSIONS
from .models.seating import SeatBooking, seats_taken

CHUNK = 5_000

FAMILY_ZH = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN_ZH = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
            "明", "超", "秀英", "霞", "平", "刚", "桂英", "晓明", "小红", "建国", "海燕", "志强",
            "文博", "子涵", "欣怡", "浩然", "雨桐", "思远", "嘉怡", "宇航", "梓萱", "俊杰", "佳琪"]
FAMILY_EN = ["Smith", "Müller", "García", "Rossi", "Dubois", "Kowalski", "Nakamura", "Kim",
             "Nguyen", "Silva", "Andersson", "O'Brien", "Novák", "Schmidt", "Ivanova", "Patel",
             "Hansen", "Moreau", "Tanaka", "Jensen", "Costa", "Fischer", "Wagner", "Horvat"]
GIVEN_EN = ["Anna", "John", "Maria", "Peter", "Laura", "David", "Sofia", "Lukas", "Emma",
            "Marco", "Yuki", "Min-jun", "Chloé", "Jakub", "Elena", "Ravi", "Ingrid", "Tomás",
            "Hannah", "Felix", "Aiko", "Noah", "Zoë", "Mateo"]
ORGANISATIONS = ["合肥智能传感器研究院", "USTC Microsystems", "Anhui Sensor Alliance",
                 "安徽省传感器产业联盟", "Hefei MEMS Foundry", "中科院合肥物质科学研究院",
                 "Fraunhofer IMS", "Bosch Sensortec", "歌尔微电子", "Sensirion", None]
JOB_TITLES = ["工程师", "Engineer", "产品经理", "Product manager", "研究员", "Researcher",
              "总经理", "CEO", "销售总监", "Sales director", None]
GATES = ["North", "South", "East"]
WAITING_LIST = 50  # people queued per full session, at most


@dataclass
class SeedReport:
    added: int = 0
    by_status: Counter = field(default_factory=Counter)
    by_category: Counter = field(default_factory=Counter)
    seats: int = 0
    waitlisted_seats: int = 0
    checked_in: int = 0
    went_out: int = 0
    enlarged: dict[str, tuple[int | None, int]] = field(default_factory=dict)


def _status(rng: random.Random, category: AttendeeCategory) -> str:
    roll = rng.random()
    if category.needs_approval:
        return ("pending" if roll < 0.25 else "rejected" if roll < 0.32
                else "cancelled" if roll < 0.37 else "confirmed")
    return "cancelled" if roll < 0.06 else "waitlisted" if roll < 0.09 else "confirmed"


def _name(rng: random.Random, number: int) -> tuple[str, str]:
    if number % 3:
        return rng.choice(FAMILY_ZH) + rng.choice(GIVEN_ZH), "zh"
    return f"{rng.choice(GIVEN_EN)} {rng.choice(FAMILY_EN)}", "en"


def _event_start(conference: Conference) -> datetime:
    """08:00 on the conference's first day, in naive UTC."""
    local = datetime.combine(conference.starts_on, time(8, 0), ZoneInfo(conference.timezone))
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def seed_attendees(conference: Conference, count: int, seed: int = 2024,
                   book_seats: bool = True) -> SeedReport:
    """Add ``count`` synthetic registrations to ``conference`` and commit; without
    ``book_seats``, nobody holds a seat."""
    rng = random.Random(seed)
    report = SeedReport()
    batch = secrets.token_hex(3)  # lets the command run again: new addresses each time
    categories = sorted(conference.categories, key=lambda c: c.position)
    weights = [8 if c.code == "delegate" else 1 for c in categories]
    door_opens = _event_start(conference)
    registration_opens = door_opens - timedelta(days=100)
    bookable = [] if not book_seats else [s for s in db.session.execute(
        db.select(Session).where(Session.conference_id == conference.id,
                                 Session.capacity.is_not(None))
    ).scalars()]
    taken = seats_taken([s.id for s in bookable])
    waiting = dict(db.session.execute(
        db.select(SeatBooking.session_id, db.func.count(SeatBooking.id))
        .where(SeatBooking.session_id.in_([s.id for s in bookable]),
               SeatBooking.status == "waitlisted")
        .group_by(SeatBooking.session_id)).all())
    seats_left = {s.id: max(0, s.capacity - taken.get(s.id, 0)) for s in bookable}
    waitlist_left = {s.id: max(0, WAITING_LIST - waiting.get(s.id, 0)) for s in bookable}
    now = utcnow()

    rows: list[dict] = []
    for number in range(count):
        category = rng.choices(categories, weights)[0]
        name, language = _name(rng, number)
        status = _status(rng, category)
        rows.append({
            "conference_id": conference.id,
            "token": secrets.token_urlsafe(24),
            "public_id": secrets.token_hex(10),
            "badge_version": 2 if status == "cancelled" else 1,
            "name": name,
            "email": f"attendee-{batch}-{number}@demo.example.org",
            "phone": f"+86 139 {rng.randrange(10**4):04d} {rng.randrange(10**4):04d}"
            if rng.random() < 0.6 else None,
            "organisation": (org + " (demo)") if (org := rng.choice(ORGANISATIONS)) else None,
            "job_title": rng.choice(JOB_TITLES),
            "category_id": category.id,
            "status": status,
            "language": language,
            "consent_at": now,
            "created_at": registration_opens + timedelta(seconds=rng.randrange(95 * 86_400)),
            "checked_in_at": None,
            "checked_in_gate": None,
            "source": "cli",
        })
        report.by_status[status] += 1
        report.by_category[category.code] += 1
    _fit_capacities(categories, report)
    for row in rows:
        if row["status"] == "confirmed" and rng.random() < 0.3:
            row["checked_in_at"] = door_opens + timedelta(seconds=rng.randrange(4 * 3600))
            row["checked_in_gate"] = rng.choice(GATES)

    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        db.session.execute(insert(Registration.__table__), chunk)
        id_of = dict(db.session.execute(
            db.select(Registration.public_id, Registration.id)
            .where(Registration.public_id.in_([row["public_id"] for row in chunk]))
        ).all())
        ids = [id_of[row["public_id"]] for row in chunk]
        _insert_dependants(conference, {c.id: c for c in categories}, chunk, ids, rng, bookable,
                           seats_left, waitlist_left, report)
    db.session.commit()
    _refresh_statistics()
    report.added = count
    return report


def _refresh_statistics() -> None:
    """On PostgreSQL, what autovacuum would do a while later, done now: the planner's
    statistics for the new rows, the visibility map (index-only counts) and the trigram
    indexes' pending lists merged (a search reads them all until then)."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in ("registration", "seat_booking", "scan", "presence", "badge_revocation"):
            connection.exec_driver_sql(f"VACUUM (ANALYZE) {table}")


def _fit_capacities(categories: list[AttendeeCategory], report: SeedReport) -> None:
    taken = dict(db.session.execute(
        db.select(Registration.category_id, db.func.count(Registration.id))
        .where(Registration.category_id.in_([c.id for c in categories]),
               Registration.status.in_(("confirmed", "pending")))
        .group_by(Registration.category_id)
    ).all())
    for category in categories:
        if category.capacity is None:
            continue
        needed = taken.get(category.id, 0) + report.by_category[category.code]
        if needed > category.capacity:
            report.enlarged[category.code] = (category.capacity, needed)
            category.capacity = needed


def _insert_dependants(conference, categories, rows, ids, rng, bookable, seats_left,
                       waitlist_left, report) -> None:
    """Seats, scans, presence and revocations of one chunk of new registrations."""
    seats, scans, presences, revocations = [], [], [], []
    for row, registration_id in zip(rows, ids, strict=True):
        if row["status"] == "confirmed" and bookable and rng.random() < 0.3:
            session = rng.choice(bookable)
            if seats_left[session.id] > 0:
                seats_left[session.id] -= 1
                seats.append({"registration_id": registration_id, "session_id": session.id,
                              "status": "confirmed", "created_at": row["created_at"]})
                report.seats += 1
            elif waitlist_left[session.id] > 0:
                waitlist_left[session.id] -= 1
                seats.append({"registration_id": registration_id, "session_id": session.id,
                              "status": "waitlisted", "created_at": row["created_at"]})
                report.waitlisted_seats += 1
        if row["checked_in_at"] is not None:
            code = issue_code(SimpleNamespace(
                public_id=row["public_id"], badge_version=row["badge_version"],
                conference=conference, category=categories[row["category_id"]]))
            scans.append(_scan(conference, registration_id, code, row, "entry",
                               row["checked_in_at"]))
            report.checked_in += 1
            if rng.random() < 0.1:
                out_at = row["checked_in_at"] + timedelta(minutes=rng.randrange(30, 240))
                scans.append(_scan(conference, registration_id, code, row, "exit", out_at))
                presences.append({"registration_id": registration_id, "inside": False,
                                  "changed_at": out_at})
                report.went_out += 1
        if row["status"] in ("cancelled", "rejected"):
            revocations.append({"conference_id": conference.id, "public_id": row["public_id"],
                                "max_version": ALL_VERSIONS, "reason": row["status"],
                                "revoked_at": row["created_at"] + timedelta(days=3)})
    for model, values in ((SeatBooking, seats), (Scan, scans), (Presence, presences),
                          (BadgeRevocation, revocations)):
        if values:
            db.session.execute(insert(model.__table__), values)


def _scan(conference, registration_id, code, row, kind, at) -> dict:
    return {"conference_id": conference.id, "registration_id": registration_id, "code": code,
            "nonce": secrets.token_hex(16), "gate": row["checked_in_gate"], "kind": kind,
            "result": "ok", "scanned_at": at, "received_at": at, "scanned_by": "demo"}
