"""API tokens for integrations: made on the people page or by ``create-api-token``.

A token acts on the JSON API as its account, with the account's role at the time of each
request; only its SHA-256 is stored. Revoking it, or deactivating the account, stops it at
the next request.
"""

from __future__ import annotations

import secrets

from .. import audit
from ..extensions import db
from ..models import ApiToken, User
from ..models.base import utcnow
from ..models.user import hash_device_token

# Every API token starts so; device tokens start with "dev_", so one bearer header tells
# which kind of caller it is before any lookup.
PREFIX = "api_"
MAX_NAME_LENGTH = 100


def is_api_token(token: str) -> bool:
    return token.startswith(PREFIX)


def issue_api_token(account: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``account`` and commit; the token text is returned once."""
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user=account, name=name.strip()[:MAX_NAME_LENGTH] or "integration",
                   token_hash=hash_device_token(token))
    db.session.add(row)
    db.session.flush()
    audit.record("api_token.create", target=row, summary=f"{row.name} → {account.email}")
    db.session.commit()
    return row, token


# Read on every API call with a token: the token's account, only while both are live.
_ACCOUNT_BY_HASH = (
    db.select(User)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(ApiToken.token_hash == db.bindparam("token_hash"),
           ApiToken.revoked_at.is_(None), User.active.is_(True))
)


def account_for_api_token(token: str) -> User | None:
    """The active account of the unrevoked token ``token``, or None."""
    if not is_api_token(token):
        return None
    return db.session.execute(
        _ACCOUNT_BY_HASH, {"token_hash": hash_device_token(token)}
    ).scalar_one_or_none()


def tokens_of(account: User) -> list[ApiToken]:
    return list(db.session.execute(
        db.select(ApiToken).where(ApiToken.user_id == account.id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.id)
    ).scalars())


def revoke_api_token(row: ApiToken) -> bool:
    """Revoke ``row`` and commit; False when it was revoked already."""
    if row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    audit.record("api_token.revoke", target=row, summary=f"{row.name} ({row.user.email})")
    db.session.commit()
    return True
