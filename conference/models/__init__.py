"""Typed models, one module per aggregate."""

from .conference import AttendeeCategory, Conference, Room, Track
from .exhibitor import Exhibitor
from .programme import SESSION_KINDS, Session, Speaker, session_speaker
from .registration import REGISTRATION_STATUSES, Registration
from .scan import SCAN_RESULTS, Scan
from .user import ROLES, DeviceToken, User

__all__ = [
    "AttendeeCategory",
    "Conference",
    "DeviceToken",
    "Exhibitor",
    "REGISTRATION_STATUSES",
    "ROLES",
    "Registration",
    "Room",
    "SCAN_RESULTS",
    "SESSION_KINDS",
    "Scan",
    "Session",
    "Speaker",
    "Track",
    "User",
    "session_speaker",
]
