"""Typed models, one module per aggregate."""

from .announcement import Announcement, Arrival, Audience  # noqa: F401
from .api_token import ApiToken  # noqa: F401
from .audit import AuditEntry  # noqa: F401
from .checkin import BadgeRevocation, Presence, RevocationReason, RoomOccupancy  # noqa: F401
from .conference import AttendeeCategory, Conference, Room, Track
from .exhibitor import Exhibitor
from .outbox import OutboxMessage, OutboxStatus  # noqa: F401
from .print_job import PrintJob, PrintJobStatus  # noqa: F401
from .programme import (  # noqa: F401
    SESSION_KINDS,
    Session,
    SessionKind,
    SessionStatus,
    Speaker,
    session_speaker,
)
from .question import QUESTION_KINDS, Answer, Question, QuestionKind  # noqa: F401
from .registration import (  # noqa: F401
    REGISTRATION_SOURCES,
    REGISTRATION_STATUSES,
    Registration,
    RegistrationSource,
    RegistrationStatus,
)
from .scan import Scan, ScanKind, ScanResult
from .seating import SeatBooking, SeatStatus  # noqa: F401
from .user import ROLES, DeviceToken, User

__all__ = [
    "REGISTRATION_STATUSES",
    "ROLES",
    "SESSION_KINDS",
    "AttendeeCategory",
    "Conference",
    "DeviceToken",
    "Exhibitor",
    "Registration",
    "Room",
    "Scan",
    "ScanKind",
    "ScanResult",
    "Session",
    "SessionKind",
    "Speaker",
    "Track",
    "User",
    "session_speaker",
]
