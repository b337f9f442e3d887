"""Typed models, one module per aggregate."""

from .checkin import BadgeRevocation, Presence, RoomOccupancy  # noqa: F401
from .conference import AttendeeCategory, Conference, Room, Track
from .exhibitor import Exhibitor
from .outbox import OUTBOX_STATUSES, OutboxMessage  # noqa: F401
from .print_job import PRINT_JOB_STATUSES, PrintJob  # noqa: F401
from .programme import SESSION_KINDS, Session, Speaker, session_speaker
from .question import QUESTION_KINDS, Answer, Question  # noqa: F401
from .registration import REGISTRATION_SOURCES, REGISTRATION_STATUSES, Registration  # noqa: F401
from .scan import SCAN_RESULTS, Scan
from .seating import SEAT_STATUSES, SeatBooking  # noqa: F401
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
