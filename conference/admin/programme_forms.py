"""The organiser's forms for the conference and its programme, one per kind of item.

A form only turns what the browser sent into plain values (text, numbers, naive UTC
times, ids) for the editing services, which check them; the services' complaints come back
onto the fields (``show_errors``). Each form carries the version of the item it was filled
from, so a save of a form opened before someone else's save is refused as stale.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields import ColorField
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..models import Conference, Session
from ..public.labels import kind_label
from ..timefmt import to_local, to_utc

LOCAL_TIME = "%Y-%m-%dT%H:%M"
# Form fields that are not values of the item.
NOT_VALUES = frozenset({"csrf_token", "version", "allow_clash", "photo", "logo", "remove_image"})


def _pair(name: str, label, area: bool = False) -> dict[str, Any]:
    """A bilingual text as two fields, ``<name>_zh`` and ``<name>_en``."""
    field = TextAreaField if area else StringField
    return {f"{name}_zh": field(_l("%(what)s (Chinese)", what=label)),
            f"{name}_en": field(_l("%(what)s (English)", what=label))}


def _count(label):
    return IntegerField(label, validators=[Optional()],
                        render_kw={"min": 1, "inputmode": "numeric"})


class EditForm(FlaskForm):
    """Fields named as the item's values, plus the version it was read at."""

    version = HiddenField()

    def values(self, conference: Conference) -> dict[str, Any]:
        return {name: field.data for name, field in self._fields.items()
                if name not in NOT_VALUES}

    def fill(self, item, conference: Conference) -> None:
        for name, field in self._fields.items():
            if name not in NOT_VALUES and hasattr(item, name):
                field.data = getattr(item, name)
        self.version.data = item.version

    def read_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None

    def show_errors(self, errors: dict[str, str]) -> list[str]:
        """Put each service complaint on its field; those without one are returned."""
        left = []
        for name, message in errors.items():
            field = self._fields.get(name)
            if field is None:
                left.append(message)
            else:
                field.errors = [*field.errors, message]
        return left


def _form(name: str, fields: dict[str, Any], base=EditForm):
    return type(name, (base,), dict(fields))


RoomForm = _form("RoomForm", {
    **_pair("name", _l("Room name")), **_pair("location", _l("Floor or location")),
    "capacity": _count(_l("Capacity")),
})
TrackForm = _form("TrackForm", {
    **_pair("name", _l("Track name")), "colour": ColorField(_l("Colour"), default="#666666"),
})
ImageFields = {"remove_image": BooleanField(_l("Remove the current image"))}
SpeakerForm = _form("SpeakerForm", {
    **_pair("name", _l("Name")), **_pair("title", _l("Job title")),
    **_pair("organisation", _l("Organisation")), **_pair("bio", _l("Biography"), area=True),
    "photo": FileField(_l("Photo (PNG, JPEG or WebP, at most 5 MB)")), **ImageFields,
})
ExhibitorForm = _form("ExhibitorForm", {
    **_pair("name", _l("Exhibitor name")), "booth": StringField(_l("Booth")),
    **_pair("category", _l("Field")), **_pair("description", _l("Description"), area=True),
    "website": StringField(_l("Website"), render_kw={"type": "url"}),
    "logo": FileField(_l("Logo (PNG, JPEG or WebP, at most 5 MB)")), **ImageFields,
})


class _LocalTimes:
    """Times shown and typed in the conference's time zone, stored as naive UTC."""

    TIME_FIELDS: tuple[str, ...] = ()

    def values(self, conference: Conference) -> dict[str, Any]:
        found = super().values(conference)
        for name in self.TIME_FIELDS:
            if isinstance(found.get(name), datetime):
                found[name] = to_utc(found[name], conference.timezone)
        return found

    def fill(self, item, conference: Conference) -> None:
        super().fill(item, conference)
        for name in self.TIME_FIELDS:
            value = getattr(item, name)
            self[name].data = to_local(value, conference.timezone).replace(tzinfo=None) \
                if value else None


def _time(label, required: bool = True):
    return DateTimeLocalField(label, format=LOCAL_TIME,
                              validators=[] if required else [Optional()])


CategoryForm = _form("CategoryForm", {
    **_pair("name", _l("Category name")), "colour": ColorField(_l("Colour"), default="#1f6feb"),
    "capacity": _count(_l("Places (empty: no limit)")),
    "needs_approval": BooleanField(_l("Registrations need approval")),
    "public": BooleanField(_l("Offered on the registration form"), default=True),
    "opens_at": _time(_l("Registration opens (empty: now)"), required=False),
    "closes_at": _time(_l("Registration closes (empty: never)"), required=False),
    "TIME_FIELDS": ("opens_at", "closes_at"),
}, base=type("CategoryBase", (_LocalTimes, EditForm), {}))


class _MultiCheckbox(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SessionBase(_LocalTimes, EditForm):
    TIME_FIELDS = ("starts_at", "ends_at")

    def offer(self, conference: Conference) -> None:
        """The choices: the conference's rooms, tracks and speakers, kinds in words."""
        self.kind.choices = [(kind, kind_label(kind)) for kind in SESSION_KIND_ORDER]
        self.room_id.choices = [(room.id, room.t("name")) for room in conference.rooms]
        self.track_id.choices = [(0, "—")] + [(t.id, t.t("name")) for t in conference.tracks]
        self.speaker_ids.choices = sorted(
            ((s.id, s.t("name")) for s in conference.speakers), key=lambda pair: pair[1])

    def values(self, conference: Conference) -> dict[str, Any]:
        found = super().values(conference)
        found["track_id"] = found.get("track_id") or None
        found["speaker_ids"] = list(found.get("speaker_ids") or [])
        return found

    def fill(self, item: Session, conference: Conference) -> None:
        super().fill(item, conference)
        self.track_id.data = item.track_id or 0
        self.speaker_ids.data = [speaker.id for speaker in item.speakers]


SESSION_KIND_ORDER = ("talk", "keynote", "forum", "panel", "workshop", "ceremony", "break",
                      "networking")
SessionForm = _form("SessionForm", {
    **_pair("title", _l("Title")), **_pair("abstract", _l("Abstract"), area=True),
    "kind": SelectField(_l("Kind")),
    "starts_at": _time(_l("Starts")), "ends_at": _time(_l("Ends")),
    "room_id": SelectField(_l("Room"), coerce=int),
    "track_id": SelectField(_l("Track"), coerce=int),
    "speaker_ids": _MultiCheckbox(_l("Speakers"), coerce=int),
    "capacity": _count(_l("Seats to book (empty: not bookable)")),
    "allow_clash": BooleanField(_l("Save despite the clash")),
}, base=SessionBase)

ConferenceForm = _form("ConferenceForm", {
    **_pair("name", _l("Conference name")), **_pair("slogan", _l("Slogan")),
    **_pair("description", _l("Description"), area=True), **_pair("venue", _l("Venue")),
    **_pair("address", _l("Address")),
    "starts_on": DateField(_l("First day")), "ends_on": DateField(_l("Last day")),
    "timezone": StringField(_l("Time zone (e.g. Asia/Shanghai)")),
    "wifi_network": StringField(_l("Wi-Fi network")),
    "wifi_password": StringField(_l("Wi-Fi password")),
    "is_demo": BooleanField(_l("Show the demo-data banner")),
})
