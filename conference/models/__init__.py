"""Typed models, one module per aggregate."""

from .conference import AttendeeCategory, Conference, Room, Track
from .exhibitor import Exhibitor
from .programme import SESSION_KINDS, Session, Speaker, session_speaker
from .registration import REGISTRATION_STATUSES, Registration
from .scan import SCAN_RESULTS, Scan
from .user import ROLES, DeviceToken, User

__all__ = [
    "REGISTRATION_STATUSES",
    "ROLES",
    "SCAN_RESULTS",
    "SESSION_KINDS",
    "AttendeeCategory",
    "Conference",
    "DeviceToken",
    "Exhibitor",
    "Registration",
    "Room",
    "Scan",
    "Session",
    "Speaker",
    "Track",
    "User",
    "session_speaker",
]
