"""Accounts and device tokens: the rules, for views, the API and the CLI alike."""

from __future__ import annotations

import secrets

from werkzeug.security import check_password_hash, generate_password_hash

from .. import audit
from ..email_address import EmailNotValidError, normalise_email
from ..extensions import db
from ..models import ROLES, DeviceToken, User
from ..models.base import utcnow
from ..models.user import hash_device_token

MIN_PASSWORD_LENGTH = 8
# Checked for unknown e-mails too, so timing does not tell which accounts exist.
_DUMMY_HASH = generate_password_hash("not a real password")


class AccountError(ValueError):
    pass


def _account_email(email: str) -> str:
    """The address of an account as stored (``normalise_email``), or ``AccountError``."""
    try:
        return normalise_email(email)
    except EmailNotValidError as exc:
        raise AccountError(f"{email!r} is not a valid e-mail address: {exc}") from exc


def create_or_update_user(email: str, password: str, role: str) -> tuple[User, bool]:
    """Create the account, or give an existing one this role and password."""
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    email = _account_email(email)
    user = db.session.execute(db.select(User).where(User.email == email)).scalar_one_or_none()
    created = user is None
    if created:
        user = User(email=email)
        db.session.add(user)
    user.role = role
    user.active = True
    user.set_password(password)
    db.session.commit()
    return user, created


def end_sessions(user: User) -> None:
    """Log ``user`` out everywhere: every session and remember-me cookie of the account."""
    user.end_sessions()
    db.session.commit()


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None."""
    try:
        email = normalise_email(email)
    except EmailNotValidError:
        return None
    user = db.session.execute(db.select(User).where(User.email == email)).scalar_one_or_none()
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.active or not user.check_password(password):
        return None
    return user


def issue_device_token(name: str) -> str:
    """Create a device token; only its hash is stored, the token is returned once."""
    token = "dev_" + secrets.token_urlsafe(32)
    device = DeviceToken(name=name.strip()[:100] or "device", token_hash=hash_device_token(token))
    db.session.add(device)
    db.session.flush()
    audit.record("device_token.create", target=device, summary=device.name)
    db.session.commit()
    return token


# Read on every scanner API call: a plain Core SELECT of the three columns needed (no ORM
# object to build), so a revocation still counts from the very next request.
_DEVICE_BY_HASH = db.select(
    DeviceToken.__table__.c.id, DeviceToken.__table__.c.name, DeviceToken.__table__.c.revoked_at
).where(DeviceToken.__table__.c.token_hash == db.bindparam("token_hash"))


def device_for_token(token: str):
    """The unrevoked device holding ``token`` (a row with ``id`` and ``name``), or None."""
    device = db.session.connection().execute(
        _DEVICE_BY_HASH, {"token_hash": hash_device_token(token)}
    ).first()
    if device is None or device.revoked_at is not None:
        return None
    return device


def revoke_device_token(device_id: int) -> bool:
    device = db.session.get(DeviceToken, device_id)
    if device is None or device.revoked_at is not None:
        return False
    device.revoked_at = utcnow()
    audit.record("device_token.revoke", target=device, summary=device.name)
    db.session.commit()
    return True
