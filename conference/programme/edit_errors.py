"""What the programme's editing services refuse, as domain errors every entry point maps to
its own answer: a form error on the page, a 409 or 422 in the API, a line in the importer's
output. Their messages are in the language in force when they are read."""

from __future__ import annotations

from flask_babel import gettext

from .clashes import Clash


class EditRefused(Exception):
    """Nothing was written: the caller's transaction is as it was before the call."""


class Invalid(EditRefused):
    """Values that cannot be stored: ``errors`` maps each field to what is wrong with it."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))


class Stale(EditRefused):
    """The item changed since the editor read it (its version moved on): the later save is
    refused, never written over the earlier one."""

    def __init__(self, current_version: int | None = None):
        self.current_version = current_version
        super().__init__(self.message())

    @staticmethod
    def message() -> str:
        return gettext("Someone changed this meanwhile. Reload it to see their change, "
                       "then make yours again.")


class ClashRefused(EditRefused):
    """The session would clash (room or speaker) and the save did not allow it."""

    def __init__(self, clashes: list[Clash]):
        self.clashes = clashes
        super().__init__("; ".join(clash.message() for clash in clashes))


class InUse(EditRefused):
    """The item cannot be deleted while other things (sessions, registrations) use it."""
