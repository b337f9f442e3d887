"""Staff accounts and scanner device tokens."""

from __future__ import annotations

import hashlib
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .base import utcnow

ROLES = ("admin", "organiser", "staff")


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20), default="staff")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Part of every session and remember-me cookie of the account (``get_id``): raised on
    # logout and on a password change, it ends all of them at once, on every device.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.end_sessions()

    def end_sessions(self) -> None:
        """Every session and remember-me cookie of this account stops being accepted."""
        self.session_generation = (self.session_generation or 0) + 1

    def get_id(self) -> str:  # Flask-Login: stored in the session and the remember cookie
        return f"{self.id}:{self.session_generation or 0}"

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def has_role(self, *roles: str) -> bool:
        """Admins may do everything; organisers everything staff may."""
        rank = {"staff": 0, "organiser": 1, "admin": 2}
        return rank.get(self.role, -1) >= min(rank[r] for r in roles)


def hash_device_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class DeviceToken(db.Model):
    """A bearer token for a scanner device without a staff login; only its hash is kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
