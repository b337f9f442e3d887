"""Checking the plain values an organiser sends for one item of the programme.

Each kind of item has a ``Spec``: its model, the field naming it in addresses (``slug``, or
``code`` for categories) and the type of every field it takes. ``clean`` checks the fields
given (all of them from a form, some from an API ``PATCH``) against the item as it stands,
and returns the values to store or raises ``Invalid`` with every problem at once. Text
lengths come from the model columns, as in the programme importer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext
from pypinyin import lazy_pinyin

from ..colours import is_colour
from ..extensions import db
from ..models import (
    SESSION_KINDS,
    AttendeeCategory,
    Conference,
    Exhibitor,
    Room,
    Session,
    Speaker,
    Track,
)
from ..models.base import text_length
from ..uploads import STORED_NAME
from .edit_errors import Invalid
from .import_checks import SLUG

TEXT, COUNT, FLAG, COLOUR, WEBSITE, TIME, DAY, ZONE, KIND, ROOM, TRACK, SPEAKERS, IMAGE = (
    "text", "count", "flag", "colour", "website", "time", "day", "zone", "kind", "room",
    "track", "speakers", "image")
WEB_ADDRESS = re.compile(r"^https?://[^\s]+$")
# Control characters no text field takes (tab and line breaks are fine in prose).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
LARGEST_COUNT = 1_000_000


class BadValue(ValueError):
    """One field's value cannot be stored; the message says why."""


def _bilingual(*names: str) -> dict[str, str]:
    return {f"{name}_{lang}": TEXT for name in names for lang in ("zh", "en")}


@dataclass(frozen=True)
class Spec:
    model: type[db.Model]
    audit_name: str  # "room" → audit kinds "room.create", "room.update"…
    fields: dict[str, str]
    required: tuple[str, ...] = ()  # a field, or a bilingual name needing zh or en
    key: str | None = "slug"  # the field naming the item in addresses, or None
    times: tuple[str, str] | None = None  # (start, end) fields: the end must come later
    label: str = "name"  # the bilingual field that names the item to people
    extra: dict[str, Any] = field(default_factory=dict)


SPECS = {
    "room": Spec(Room, "room", {**_bilingual("name", "location"), "capacity": COUNT},
                 ("name",)),
    "track": Spec(Track, "track", {**_bilingual("name"), "colour": COLOUR}, ("name",)),
    "speaker": Spec(Speaker, "speaker",
                    {**_bilingual("name", "title", "organisation", "bio"), "photo": IMAGE},
                    ("name",)),
    "exhibitor": Spec(Exhibitor, "exhibitor",
                      {**_bilingual("name", "category", "description"), "booth": TEXT,
                       "website": WEBSITE, "logo": IMAGE}, ("name", "booth")),
    "category": Spec(AttendeeCategory, "category",
                     {**_bilingual("name"), "colour": COLOUR, "capacity": COUNT,
                      "needs_approval": FLAG, "public": FLAG, "opens_at": TIME,
                      "closes_at": TIME}, ("name",), key="code",
                     times=("opens_at", "closes_at")),
    "session": Spec(Session, "session",
                    {**_bilingual("title", "abstract"), "kind": KIND, "starts_at": TIME,
                     "ends_at": TIME, "room_id": ROOM, "track_id": TRACK, "capacity": COUNT,
                     "speaker_ids": SPEAKERS},
                    ("title", "starts_at", "ends_at", "room_id"),
                    times=("starts_at", "ends_at"), label="title"),
    "conference": Spec(Conference, "conference",
                       {**_bilingual("name", "slogan", "description", "venue", "address"),
                        "starts_on": DAY, "ends_on": DAY, "timezone": ZONE, "is_demo": FLAG,
                        "wifi_network": TEXT, "wifi_password": TEXT},
                       ("name", "venue", "starts_on", "ends_on", "timezone"), key=None,
                       times=("starts_on", "ends_on")),
}


def clean(spec: Spec, values: dict[str, Any], item: db.Model | None,
          conference: Conference) -> dict[str, Any]:
    """The values to store for the fields in ``values`` (and the key, made up from the
    name for a new item that has none); raises ``Invalid`` naming every bad field."""
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        kind = spec.fields.get(name)
        if kind is None and name != spec.key:
            errors[name] = gettext("This field is not known.")
            continue
        try:
            cleaned[name] = _key(spec, value, item, conference) if name == spec.key else \
                _value(spec, name, kind, value, conference)
        except BadValue as exc:
            errors[name] = str(exc)
    merged = {name: getattr(item, name, None) for name in spec.fields if name != "speaker_ids"}
    merged.update(cleaned)
    for name in spec.required:
        if name in spec.fields:
            if merged.get(name) in (None, "") and name not in errors:
                errors[name] = gettext("Please fill this in.")
        elif not (merged.get(f"{name}_zh") or merged.get(f"{name}_en")):
            errors.setdefault(f"{name}_zh", gettext("Please fill this in, in Chinese or English."))
    if spec.times and not errors.keys() & set(spec.times):
        first, last = (merged.get(name) for name in spec.times)
        if first is not None and last is not None and (
            last < first if spec.times[0] == "starts_on" else last <= first
        ):
            errors[spec.times[1]] = gettext("The end comes before the start.")
    if spec.key and item is None and spec.key not in values and not errors:
        cleaned[spec.key] = free_key(spec, merged, conference)
    if errors:
        raise Invalid(errors)
    return cleaned


def _text(value: Any, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadValue(gettext("Please enter text."))
    value = value.strip()
    if CONTROL.search(value):
        raise BadValue(gettext("This text holds characters that cannot be stored."))
    if len(value) > limit:
        raise BadValue(gettext("At most %(limit)d characters, please.", limit=limit))
    return value or None


def _value(spec: Spec, name: str, kind: str, value: Any, conference: Conference) -> Any:
    """One field's value as stored; ``ValueError`` with what is wrong."""
    if kind == TEXT:
        return _text(value, text_length(spec.model.__table__.c[name]))
    if kind == COUNT:
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= LARGEST_COUNT:
            raise BadValue(gettext("Please enter a whole number above 0, or nothing."))
        return value
    if kind == FLAG:
        if not isinstance(value, bool):
            raise BadValue(gettext("Please answer yes or no."))
        return value
    if kind == COLOUR:
        if not is_colour(value):
            raise BadValue(gettext("Please enter a colour like #1f6feb."))
        return value.lower()
    if kind == WEBSITE:
        text = _text(value, text_length(spec.model.__table__.c[name]))
        if text and not WEB_ADDRESS.match(text):
            raise BadValue(gettext("Please enter an address starting with http:// or https://."))
        return text
    if kind == TIME:
        if value is None and name in ("opens_at", "closes_at"):
            return None
        if not isinstance(value, datetime) or value.tzinfo is not None:
            raise BadValue(gettext("Please enter a date and time."))
        return value.replace(second=0, microsecond=0)
    if kind == DAY:
        if not isinstance(value, date) or isinstance(value, datetime):
            raise BadValue(gettext("Please enter a date."))
        return value
    if kind == ZONE:
        try:
            ZoneInfo(str(value))
        except (ZoneInfoNotFoundError, ValueError):
            raise BadValue(gettext("Unknown time zone: use a name like Asia/Shanghai.")) from None
        return str(value)
    if kind == KIND:
        if value not in SESSION_KINDS:
            raise BadValue(gettext("Please choose one of the kinds offered."))
        return str(value)
    if kind == IMAGE:  # the name ``uploads.store_image`` gave a stored image
        if value is not None and not (isinstance(value, str) and STORED_NAME.match(value)):
            raise BadValue(gettext("Please upload the image again."))
        return value
    if kind in (ROOM, TRACK):
        return _reference(Room if kind == ROOM else Track, value, conference, kind == TRACK)
    return _speakers(value, conference)  # SPEAKERS


def _reference(model, value, conference: Conference, optional: bool) -> int | None:
    if value in (None, "") and optional:
        return None
    found = db.session.get(model, value) if isinstance(value, int) else None
    if found is None or found.conference_id != conference.id:
        raise BadValue(gettext("Please choose one of the items offered."))
    return found.id


def _speakers(value, conference: Conference) -> list[int]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, int) for v in value):
        raise BadValue(gettext("Please choose among the speakers offered."))
    wanted = list(dict.fromkeys(value))
    known = set(db.session.execute(
        db.select(Speaker.id).where(Speaker.conference_id == conference.id,
                                    Speaker.id.in_(wanted))).scalars()) if wanted else set()
    if len(known) != len(wanted):
        raise BadValue(gettext("Please choose among the speakers offered."))
    return wanted


def _key(spec: Spec, value: Any, item, conference: Conference) -> str:
    limit = text_length(spec.model.__table__.c[spec.key])
    if not isinstance(value, str) or not SLUG.match(value) or len(value) > limit:
        raise BadValue(gettext(
            "Lowercase letters, digits and '-', at most %(limit)d characters.", limit=limit))
    if value != getattr(item, spec.key, None) and _taken(spec, value, conference):
        raise BadValue(gettext("Another item already goes by this name."))
    return value


def _taken(spec: Spec, value: str, conference: Conference) -> bool:
    column = getattr(spec.model, spec.key)
    return db.session.execute(
        db.select(spec.model.id).where(spec.model.conference_id == conference.id, column == value)
    ).first() is not None


def free_key(spec: Spec, values: dict[str, Any], conference: Conference) -> str:
    """A key made from the item's English name, else the pinyin of its Chinese one, not
    yet used in the conference (``-2``, ``-3``… added when it is)."""
    name = spec.label
    words = values.get(f"{name}_en") or " ".join(lazy_pinyin(values.get(f"{name}_zh") or ""))
    limit = text_length(spec.model.__table__.c[spec.key]) - 4
    base = re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")[:limit].strip("-") or spec.audit_name
    candidate, number = base, 1
    while _taken(spec, candidate, conference):
        number += 1
        candidate = f"{base}-{number}"
    return candidate
