"""The main door's rule is spelled twice: ``holders.decide`` in Python, and the
one-statement first admission in SQL (``service._ADMIT_FIRST_ENTRY``, and its variant that
checks a scanner device's token). One table of cases runs through each path on
PostgreSQL; every path must give the same answer, admission, presence and log row, and the
statement must admit exactly the first entries that ``decide`` lets in.

The statement runs on PostgreSQL only; elsewhere every scan takes ``decide``'s path.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace

import pytest

from conference.badges.tokens import issue_code
from conference.checkin import service
from conference.checkin.service import check_in
from conference.extensions import db
from conference.models import Conference, Presence, Registration
from tests.checkin.conftest import add_edition, scan_rows

pytestmark = pytest.mark.postgres

EARLIER = "earlier-edition"  # another conference in the same database, older than the demo
BEFORE = datetime(2024, 9, 19, 0, 30)  # when a badge admitted before this scan came in


@dataclass(frozen=True)
class Case:
    answer: str  # the door's answer, whichever path decides
    status: str = "confirmed"  # the registration's
    admitted: bool = False  # checked in before this scan
    left: bool = False  # scanned out at the main door since
    reentry: bool = True  # the main door list lets a badge that left back in
    kind: str = "entry"
    badge: str = "current"  # "replaced" (re-issued since), "future" (a version never
    # issued), "renamed" (printed before its conference's slug changed), "garbage"
    conference: str = "door"  # the badge's: the demo conference, or EARLIER
    door: str | None = None  # DEFAULT_CONFERENCE; None: the latest conference (the demo)

    @property
    def first_entry(self) -> bool:
        """The scans the one statement itself must admit."""
        return self.answer == "ok" and self.kind == "entry" and not self.admitted


CASES = {
    "confirmed, first entry": Case("ok"),
    "confirmed, first entry, list without re-entry": Case("ok", reentry=False),
    "confirmed, admitted before": Case("already_checked_in", admitted=True),
    "confirmed, left, re-entry allowed": Case("ok", admitted=True, left=True),
    "confirmed, left, no re-entry": Case("already_checked_in", admitted=True, left=True, reentry=False),
    "confirmed, exit before any entry": Case("ok", kind="exit"),
    "confirmed, exit after entry": Case("ok", admitted=True, kind="exit"),
    "pending": Case("not_confirmed", status="pending"),
    "waitlisted": Case("not_confirmed", status="waitlisted"),
    "waitlisted, exit": Case("not_confirmed", status="waitlisted", kind="exit"),
    "cancelled": Case("cancelled", status="cancelled"),
    "rejected": Case("cancelled", status="rejected"),
    "cancelled after admission": Case("cancelled", status="cancelled", admitted=True),
    "re-issued badge, old version": Case("revoked", badge="replaced"),
    "re-issued badge, old version, pending": Case("revoked", status="pending", badge="replaced"),
    "badge version never issued": Case("invalid", badge="future"),
    "printed before the conference's slug changed": Case("invalid", badge="renamed"),
    "not a badge code": Case("invalid", badge="garbage"),
    "badge of another conference": Case("invalid", conference=EARLIER),
    "other conference configured as the door, its badge": Case("ok", conference=EARLIER, door=EARLIER),
    "other conference configured as the door, demo badge": Case("invalid", door=EARLIER),
    "configured door not loaded": Case("invalid", door="no-such-conference"),
}


@dataclass(frozen=True)
class Outcome:
    answer: str
    reentry: bool | None  # False: refused only because the list allows no re-entry
    admission: str | None  # the registration's check-in after the scan: "before", "now"
    inside: bool | None  # the main door presence after the scan; None: no row
    logged: tuple  # the scan's log row: result, kind, whether it names the holder


@pytest.fixture
def earlier_edition(app, demo) -> str:
    return add_edition(app, EARLIER, date(2020, 9, 19))


def prepare(app, demo: str, case: Case) -> tuple[int, str]:
    """A new registration in the case's state, and the code its scan reads."""
    with app.app_context():
        slug = demo if case.conference == "door" else case.conference
        conference = db.session.execute(db.select(Conference).where(Conference.slug == slug)).scalar_one()
        person = Registration(
            conference=conference, category=conference.categories[0], name="Parity Case",
            email=f"{uuid.uuid4().hex[:12]}@example.org", organisation="Parity Ltd",
            status=case.status,
        )
        if case.admitted:
            person.checked_in_at, person.checked_in_gate = BEFORE, "Before"
        db.session.add(person)
        db.session.flush()
        if case.left:
            db.session.add(Presence(registration_id=person.id, inside=False, changed_at=BEFORE))
        code = issue_code(person)
        if case.badge == "replaced":
            person.badge_version += 1
        elif case.badge == "future":
            person.badge_version += 1
            code = issue_code(person)
            person.badge_version -= 1
        elif case.badge == "renamed":
            code = issue_code(SimpleNamespace(
                public_id=person.public_id, badge_version=person.badge_version,
                conference=SimpleNamespace(slug=slug + "-before"), category=person.category,
            ))
        elif case.badge == "garbage":
            code = "not a badge " + code[:20]
        db.session.commit()
        return person.id, code


def set_door(app, case: Case) -> None:
    app.config["DEFAULT_CONFERENCE"] = case.door
    with app.app_context():
        db.session.execute(db.update(Conference).values(checkin_reentry=case.reentry))
        db.session.commit()


def outcome(app, registration_id: int, answer: str, reentry: bool | None) -> Outcome:
    with app.app_context():
        person = db.session.get(Registration, registration_id)
        presence = db.session.get(Presence, registration_id)
        admission = None if person.checked_in_at is None else (
            "before" if person.checked_in_at == BEFORE else "now")
        inside = None if presence is None else presence.inside
    row = scan_rows(app)[-1]
    logged = (row.result, row.kind, row.registration_id == registration_id)
    return Outcome(answer, reentry, admission, inside, logged)


@pytest.fixture
def statement_admitted(monkeypatch) -> list[bool]:
    """Each time a scan offers itself to the one statement: whether it admitted."""
    calls: list[bool] = []
    offer = service._admit_first_entry

    def recorded(*args, **kwargs):
        holder = offer(*args, **kwargs)
        calls.append(holder is not None)
        return holder

    monkeypatch.setattr(service, "_admit_first_entry", recorded)
    return calls


def test_decide_and_the_one_statement_admit_the_same_badges(
    app, demo, earlier_edition, scan_api, statement_admitted
):
    def through_check_in(one_statement: bool):
        def scan(code: str, kind: str) -> tuple[str, bool | None]:
            with app.app_context():
                result = check_in(code, gate="Parity", nonce=None, kind=kind, scanned_by="test",
                                  one_statement=one_statement)
                return result.status, result.reentry

        return scan

    def through_device_statement(code: str, kind: str) -> tuple[str, bool | None]:
        answer = scan_api({"code": code, "gate": "Parity", "type": kind}).get_json()
        return answer["status"], answer.get("reentry")

    paths = {
        "decide": through_check_in(one_statement=False),
        "statement": through_check_in(one_statement=True),
        "device statement": through_device_statement,
    }
    for label, case in CASES.items():
        set_door(app, case)
        seen = {}
        for name, path in paths.items():
            registration_id, code = prepare(app, demo, case)
            statement_admitted.clear()
            answer, reentry = path(code, case.kind)
            seen[name] = outcome(app, registration_id, answer, reentry)
            # The statement is offered every entry scan but decide's, and admits first entries.
            offered = [] if name == "decide" or case.kind == "exit" else [case.first_entry]
            assert (label, name, statement_admitted) == (label, name, offered)
        assert (label, seen["decide"].answer) == (label, case.answer)
        assert (label, seen["statement"]) == (label, seen["decide"])
        assert (label, seen["device statement"]) == (label, seen["decide"])
