"""The kinds of programme item the organiser's pages list and edit: for each, its model,
form, the columns its list searches, and the orders it sorts by."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement

from ..extensions import db
from ..models import AttendeeCategory, Conference, Exhibitor, Room, Session, Speaker, Track
from ..registration.search import containing, search_text
from . import programme_forms as forms

MAX_ROWS = 500  # a list shows at most this many; a search narrows it down
SORT_WORDS = {
    "time": _l("Time"), "title": _l("Title"), "room": _l("Room"), "status": _l("Status"),
    "position": _l("Order on the site"), "name": _l("Name"), "capacity": _l("Capacity"),
    "organisation": _l("Organisation"), "booth": _l("Booth"),
}


@dataclass(frozen=True)
class Kind:
    name: str  # in addresses: /admin/programme/<name>
    service_kind: str  # the editing services' name of the kind
    model: type[db.Model]
    form: type[forms.EditForm]
    plural: Any  # words, in the language in force
    singular: Any
    searched: tuple[str, ...]  # columns a search looks in
    sorts: dict[str, tuple[str, ...]]  # ?sort= value → columns (descending: '-' first)
    image: str | None = None  # the image field (photo, logo) of speakers and exhibitors

    def query(self, conference: Conference, raw_query: str | None, sort: str | None):
        """The rows of ``conference`` matching the search, in the asked order."""
        query = search_text(raw_query)
        statement = db.select(self.model).where(self.model.conference_id == conference.id)
        if query:
            statement = statement.where(self.matches(query))
        key = sort if sort in self.sorts else next(iter(self.sorts))
        statement = statement.order_by(*self._order(key), self.model.id).limit(MAX_ROWS)
        return query, key, list(db.session.execute(statement).scalars())

    def matches(self, query: str) -> ColumnElement[bool]:
        return containing(query, *(getattr(self.model, column) for column in self.searched))

    def _order(self, key: str) -> list:
        order = []
        for column in self.sorts[key]:
            descending = column.startswith("-")
            attribute = getattr(self.model, column.lstrip("-"))
            order.append(attribute.desc() if descending else attribute)
        return order


def _names(prefix: str = "name") -> tuple[str, ...]:
    return (f"{prefix}_zh", f"{prefix}_en")


KINDS = {kind.name: kind for kind in (
    Kind("sessions", "session", Session, forms.SessionForm, _l("Sessions"), _l("Session"),
         (*_names("title"), "slug"),
         {"time": ("starts_at", "room_id"), "title": ("title_en", "title_zh"),
          "room": ("room_id", "starts_at"), "status": ("status", "starts_at")}),
    Kind("rooms", "room", Room, forms.RoomForm, _l("Rooms"), _l("Room"),
         (*_names(), *_names("location"), "slug"),
         {"position": ("position",), "name": ("name_en", "name_zh"),
          "capacity": ("-capacity",)}),
    Kind("speakers", "speaker", Speaker, forms.SpeakerForm, _l("Speakers"), _l("Speaker"),
         (*_names(), *_names("organisation"), "slug"),
         {"name": ("name_en", "name_zh"), "organisation": ("organisation_en", "organisation_zh")},
         image="photo"),
    Kind("tracks", "track", Track, forms.TrackForm, _l("Tracks"), _l("Track"),
         (*_names(), "slug"), {"position": ("position",), "name": ("name_en", "name_zh")}),
    Kind("exhibitors", "exhibitor", Exhibitor, forms.ExhibitorForm, _l("Exhibitors"),
         _l("Exhibitor"), (*_names(), "booth", *_names("category"), "slug"),
         {"booth": ("booth",), "name": ("name_en", "name_zh")}, image="logo"),
    Kind("categories", "category", AttendeeCategory, forms.CategoryForm,
         _l("Attendee categories"), _l("Attendee category"), (*_names(), "code"),
         {"position": ("position",), "name": ("name_en", "name_zh")}),
)}
