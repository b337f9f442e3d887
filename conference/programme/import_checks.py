"""Checks of single values in a programme file, each error named with its line.

``Checker`` collects every problem instead of stopping at the first, so an organiser sees
the whole list at once. Text lengths come from the model columns the values go into.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from ..colours import is_colour
from ..extensions import db
from ..models.base import text_length
from .yaml_lines import Node

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LOCAL_TIME_FORMAT = "%Y-%m-%d %H:%M"

# Allowed keys per block, and those that must be present.
FIELDS = {
    "top": ({"demo", "conference", "categories", "rooms", "tracks", "speakers", "exhibitors",
             "sessions", "questions"}, {"conference"}),
    "conference": ({"slug", "acronym", "name", "slogan", "description", "starts_on", "ends_on",
                    "timezone", "venue", "address", "wifi"},
                   {"slug", "name", "starts_on", "ends_on", "timezone", "venue"}),
    "category": ({"code", "name", "colour", "capacity", "needs_approval", "public", "opens_at",
                  "closes_at"}, {"code", "name"}),
    "question": ({"code", "kind", "label", "help", "required", "options"},
                 {"code", "kind", "label"}),
    "option": ({"code", "label"}, {"code", "label"}),
    "room": ({"slug", "name", "capacity", "location"}, {"slug", "name"}),
    "track": ({"slug", "name", "colour"}, {"slug", "name"}),
    "speaker": ({"slug", "name", "title", "organisation", "bio"}, {"slug", "name"}),
    "exhibitor": ({"slug", "name", "booth", "category", "description", "website"},
                  {"slug", "name", "booth"}),
    "session": ({"slug", "title", "abstract", "kind", "starts", "ends", "room", "track",
                 "capacity", "speakers"}, {"slug", "title", "starts", "ends", "room"}),
}


class ProgrammeError(ValueError):
    """The file cannot be loaded; ``errors`` holds one ``FILE:LINE: message`` per problem."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def column_length(model: type[db.Model], name: str) -> int:
    """The most characters ``model``'s column ``name`` takes."""
    return text_length(model.__table__.c[name])


class Checker:
    """Walks the parsed file, collecting errors and the values to store."""

    def __init__(self, filename: str):
        self.filename = filename
        self.errors: list[str] = []

    def error(self, line: int, message: str) -> None:
        self.errors.append(f"{self.filename}:{line}: {message}")

    def stop(self) -> ProgrammeError:
        """The error to raise when nothing more can be checked."""
        return ProgrammeError(self.errors)

    def mapping(self, value, line: int, what: str) -> Node | None:
        if not isinstance(value, Node):
            self.error(line, f"{what} must be a mapping of keys to values")
            return None
        allowed, required = FIELDS[what]
        for key in value:
            if key not in allowed:
                self.error(value.lines[key], f"unknown key {key!r} in {what}")
        for key in sorted(required - value.keys()):
            self.error(value.line, f"{what} is missing {key!r}")
        return value

    def text(self, node: Node, key: str, model: type[db.Model], required: bool = False) -> dict:
        """A bilingual text for ``model``'s columns ``<key>_zh`` and ``<key>_en``."""
        limit = min(column_length(model, f"{key}_{lang}") for lang in ("zh", "en"))
        return self.text_within(node, key, limit, required)

    def text_within(self, node: Node, key: str, limit: int, required: bool = False) -> dict:
        """A bilingual text: ``{zh, en}`` or a plain string for both."""
        value = node.get(key)
        line = node.lines.get(key, node.line)
        if value is None:
            return {"zh": None, "en": None}
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            value = {"zh": str(value), "en": str(value)}
        if not isinstance(value, dict) or set(value) - {"zh", "en"}:
            self.error(line, f"{key!r} must be a text or a mapping with 'zh' and/or 'en'")
            return {"zh": None, "en": None}
        result = {}
        for lang in ("zh", "en"):
            text = value.get(lang)
            if text is not None and not isinstance(text, str):
                text = str(text)
            text = (text or "").strip() or None
            if text and len(text) > limit:
                self.error(line, f"{key!r} ({lang}) is longer than {limit} characters")
            result[lang] = text
        if required and not (result["zh"] or result["en"]):
            self.error(line, f"{key!r} is empty")
        return result

    def slug(self, node: Node, key: str, seen: set[str], what: str, limit: int) -> str | None:
        """Lowercase letters, digits and '-', unique within ``seen``, at most ``limit`` long."""
        value = node.get(key)
        line = node.lines.get(key, node.line)
        if not isinstance(value, str) or not SLUG.match(value):
            self.error(line, f"{what} {key} {value!r} must be lowercase letters, digits and '-'")
            return None
        if value in seen:
            self.error(line, f"{what} {key} {value!r} is used twice")
        seen.add(value)
        if len(value) > limit:
            self.error(line, f"{what} {key} {value!r} is longer than {limit}")
            return None
        return value

    def positive_int(self, node: Node, key: str) -> int | None:
        value = node.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.error(node.lines[key], f"{key!r} must be a positive whole number, not {value!r}")
            return None
        return value

    def flag(self, node: Node, key: str, default: bool) -> bool:
        value = node.get(key, default)
        if not isinstance(value, bool):
            self.error(node.lines[key], f"{key!r} must be true or false")
            return default
        return value

    def colour(self, node: Node, key: str, default: str) -> str:
        value = node.get(key, default)
        if not is_colour(value):
            self.error(node.lines.get(key, node.line), f"{key!r} must look like #1f6feb")
            return default
        return value.lower()

    def day(self, node: Node, key: str) -> date | None:
        value = node.get(key)
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        if key in node:
            self.error(node.lines[key], f"{key!r} must be a date like 2024-09-19")
        return None

    def local_time(self, node: Node, key: str) -> datetime | None:
        value = node.get(key)
        if isinstance(value, datetime):
            return value.replace(tzinfo=None, second=0, microsecond=0)
        if isinstance(value, str):
            try:
                return datetime.strptime(value.strip(), LOCAL_TIME_FORMAT)
            except ValueError:
                pass
        if key in node:
            self.error(node.lines[key], f"{key!r} must be a local time like 2024-09-19 09:30")
        return None

    def items(self, data: Node, key: str, what: str) -> list[Node]:
        value = data.get(key) or []
        if not isinstance(value, list):
            self.error(data.lines[key], f"{key!r} must be a list")
            return []
        checked = []
        for item in value:
            node = self.mapping(item, data.lines[key], what)
            if node is not None:
                checked.append(node)
        return checked
