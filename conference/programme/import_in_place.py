"""Importing a programme file into a conference people registered for: changed in place.

Everything in the file is matched by its slug (categories by code) and created or changed
through the same editing services the organiser's pages use, so a moved or shrunk session
tells its seat holders, and every change is in the audit log. What the file no longer
holds is deleted — but a session someone holds is cancelled (kept, its holders told), and
a room or category still in use is kept. Clashes the file brings are imported and listed
(a file is the organiser's deliberate word, as "save despite the clash" on a page).
Nothing is committed here: the caller commits, or rolls back for a dry run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..extensions import db
from ..models import (
    AttendeeCategory,
    Conference,
    Exhibitor,
    OutboxMessage,
    Question,
    Room,
    Session,
    Speaker,
    Track,
)
from ..timefmt import to_local
from . import editing
from .clashes import standing_clashes
from .edit_errors import EditRefused

# Section of the file → (service kind, model, key field); in the order they are applied.
SECTIONS = (
    ("categories", "category", AttendeeCategory, "code"),
    ("rooms", "room", Room, "slug"),
    ("tracks", "track", Track, "slug"),
    ("speakers", "speaker", Speaker, "slug"),
    ("exhibitors", "exhibitor", Exhibitor, "slug"),
)
BILINGUAL = {
    "category": ("name",), "room": ("name", "location"), "track": ("name",),
    "speaker": ("name", "title", "organisation", "bio"),
    "exhibitor": ("name", "category", "description"), "session": ("title", "abstract"),
    "conference": ("name", "slogan", "description", "venue", "address"),
}
PLAIN = {
    "category": ("code", "colour", "capacity", "needs_approval", "public", "opens_at",
                 "closes_at"),
    "room": ("slug", "capacity"), "track": ("slug", "colour"), "speaker": ("slug",),
    "exhibitor": ("slug", "booth", "website"),
    "session": ("slug", "kind", "capacity", "starts_at", "ends_at"),
    "conference": ("starts_on", "ends_on", "timezone", "wifi_network", "wifi_password"),
}


@dataclass
class Report:
    """What the import changed, a line each, and the e-mails to send after the commit."""

    timezone: str = "UTC"  # times are printed in the conference's own
    lines: list[str] = field(default_factory=list)
    mails: list[OutboxMessage] = field(default_factory=list)

    def add(self, what: str, key: str, outcome: editing.Outcome | None, verb: str) -> None:
        if outcome is not None:
            self.mails += outcome.mails
            if not outcome.changes and verb == "changed":
                return
            changed = ", ".join(
                f"{name} {self.short(before)} → {self.short(after)}"
                for name, (before, after) in outcome.changes.items()) if verb == "changed" else ""
            told = f" ({len(outcome.mails)} e-mails to seat holders)" if outcome.mails else ""
            self.lines.append(f"{what} {key}: {verb}{': ' + changed if changed else ''}{told}")
        else:
            self.lines.append(f"{what} {key}: {verb}")


    def short(self, value: Any) -> str:
        if isinstance(value, datetime):
            value = to_local(value, self.timezone).strftime("%Y-%m-%d %H:%M")
        text = "—" if value in (None, "") else str(value)
        return text if len(text) <= 40 else text[:39] + "…"


def _values(kind: str, item: dict[str, Any]) -> dict[str, Any]:
    values = {name: item.get(name) for name in PLAIN[kind]}
    for name in BILINGUAL[kind]:
        text = item.get(name) or {"zh": None, "en": None}
        values[f"{name}_zh"], values[f"{name}_en"] = text["zh"], text["en"]
    return values


def update_in_place(conference: Conference, data: dict) -> Report:
    """Bring ``conference`` to what the checked file ``data`` holds (see the module doc).
    Raises ``EditRefused`` naming the item the file cannot give (nothing is committed)."""
    report = Report(data["conference"]["timezone"])
    settings = {**_values("conference", data["conference"]), "is_demo": data["demo"]}
    report.add("conference", conference.slug,
               editing.update(conference, "conference", settings), "changed")
    existing: dict[str, dict[str, Any]] = {}
    for section, kind, model, key in SECTIONS:
        existing[section] = _upsert(conference, report, data[section], kind, model, key)
    _sessions(conference, report, data["sessions"], existing)
    for section, kind, model, key in reversed(SECTIONS):
        _remove_missing(report, data[section], existing[section], kind, key)
    _questions(conference, report, data["questions"])
    db.session.flush()
    for clash in standing_clashes(conference):
        who = clash.speaker.slug if clash.speaker else clash.first.room.slug
        report.lines.append(f"clash ({clash.reason} {who}): {clash.first.slug} and "
                            f"{clash.second.slug} overlap")
    return report


def _upsert(conference: Conference, report: Report, items: list[dict], kind: str, model,
            key: str) -> dict[str, Any]:
    found = {getattr(row, key): row for row in db.session.execute(
        db.select(model).where(model.conference_id == conference.id)).scalars()}
    for position, item in enumerate(items):
        values = _values(kind, item)
        row = found.get(item[key])
        try:
            if row is None:
                outcome = editing.create(conference, kind, values)
                found[item[key]] = outcome.item
                report.add(kind, item[key], None, "added")
            else:
                report.add(kind, item[key], editing.update(row, kind, values), "changed")
        except EditRefused as exc:
            raise EditRefused(f"{kind} {item[key]}: {exc}") from exc
        if hasattr(found[item[key]], "position"):
            found[item[key]].position = position
    return found


def _sessions(conference: Conference, report: Report, items: list[dict],
              existing: dict[str, dict[str, Any]]) -> None:
    sessions = {s.slug: s for s in db.session.execute(
        db.select(Session).where(Session.conference_id == conference.id)).scalars()}
    for item in items:
        values = _values("session", item)
        values["room_id"] = existing["rooms"][item["room"]].id
        values["track_id"] = existing["tracks"][item["track"]].id if item["track"] else None
        values["speaker_ids"] = [existing["speakers"][slug].id
                                 for slug in dict.fromkeys(item["speakers"])]
        row = sessions.pop(item["slug"], None)
        try:
            if row is not None and row.cancelled:
                report.add("session", row.slug, editing.reinstate_session(row, allow_clash=True),
                           "back on the programme")
            outcome = editing.save_session(conference, row, values, allow_clash=True)
        except EditRefused as exc:
            raise EditRefused(f"session {item['slug']}: {exc}") from exc
        report.add("session", item["slug"], outcome, "added" if row is None else "changed")
    for slug, row in sessions.items():
        if row.cancelled:
            continue
        outcome = editing.remove_session(row)
        report.add("session", slug, outcome, "cancelled (people hold seats in it)"
                   if outcome.cancelled else "deleted")


def _remove_missing(report: Report, items: list[dict], found: dict[str, Any], kind: str,
                    key: str) -> None:
    wanted = {item[key] for item in items}
    for name, row in found.items():
        if name in wanted:
            continue
        try:
            editing.delete(row, kind)  # refused before it writes anything
        except EditRefused:
            report.add(kind, name, None, "kept: still in use")
        else:
            report.add(kind, name, None, "deleted")


def _questions(conference: Conference, report: Report, items: list[dict]) -> None:
    """Extra questions by code: changed or added; one no longer in the file is kept (people
    answered it) and reported."""
    found = {q.code: q for q in conference.questions}
    for position, item in enumerate(items):
        question = found.pop(item["code"], None)
        if question is None:
            question = Question(conference=conference, code=item["code"])
            db.session.add(question)
            report.add("question", item["code"], None, "added")
        question.kind, question.required, question.options = (
            item["kind"], item["required"], item["options"])
        question.position = position
        question.label_zh, question.label_en = item["label"]["zh"], item["label"]["en"]
        question.help_zh, question.help_en = item["help"]["zh"], item["help"]["en"]
    for code in found:
        report.add("question", code, None, "kept: no longer in the file")
