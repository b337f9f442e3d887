"""Which registrations may have a badge printed."""

from __future__ import annotations

from ..models import Registration
from ..models.registration import find_by_token

PRINTABLE_STATUS = "confirmed"


class NoSuchBadge(LookupError):
    """No registration carries this manage token."""


class BadgeNotReady(Exception):
    """The registration exists but is not confirmed (pending, waiting list, cancelled…)."""

    def __init__(self, registration: Registration):
        super().__init__(registration.status)
        self.registration = registration


def can_print_badge(registration: Registration) -> bool:
    return registration.status == PRINTABLE_STATUS


def printable_registration(token: str) -> Registration:
    """The registration behind a manage ``token``, if its badge may be printed."""
    registration = find_by_token(token)
    if registration is None:
        raise NoSuchBadge(token)
    if not can_print_badge(registration):
        raise BadgeNotReady(registration)
    return registration
