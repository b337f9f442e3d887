"""What a scanner needs to decide offline: the key that verifies badges, and the badges
revoked since it last asked.

* ``GET /api/v1/checkin/keys`` (public): the badge verification key, raw Ed25519 in
  base64url with its key id, and the tags a scanner needs offline: of the door's conference
  (the current one) and its categories only, so that offline, too, no other badge enters.
* ``GET /api/v1/checkin/revoked?since=ISO``: revoked badge versions recorded after
  ``since``; ``until`` is the ``since`` of the next call.
Auth (revoked): a staff session or a device token (``contract.STAFF_OR_DEVICE``).
"""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime
from typing import Annotated

from pydantic import BeforeValidator, Field

from ...badges.tokens import category_tag, conference_tag, public_key_bytes
from ...checkin.revocations import revoked_since
from ...current import current_conference
from .. import bp
from ..contract import (
    STAFF_OR_DEVICE,
    Answer,
    DateTimeText,
    Schema,
    date_time_or_null,
    operation,
)
from .payloads import parse_utc

TAGS = ["check-in (offline)"]


class VerificationKey(Answer):
    kid: str = Field(description="The key's id: the first 16 hex digits of its SHA-256.")
    alg: str = Field(description="Always `Ed25519`.")
    public_key: str = Field(description="The raw Ed25519 public key, base64url.")


class CategoryTag(Answer):
    tag: str
    name: str | None
    colour: str | None


class ConferenceTags(Answer):
    slug: str
    tag: str
    categories: list[CategoryTag]


class Keys(Answer):
    """What a scanner needs to verify badges offline."""

    keys: list[VerificationKey]
    code_format: int
    conferences: list[ConferenceTags] = Field(description=(
        "The door's conference (none before one is loaded): offline, too, a scanner "
        "admits its badges only."))


Since = Annotated[
    datetime | None,
    BeforeValidator(lambda value: parse_utc(value) if value else None),
    date_time_or_null("ISO 8601: only revocations recorded after this (the `until` of the "
                      "last call)."),
]


class RevokedQuery(Schema):
    since: Since = None


class Revocation(Answer):
    public_id: str
    max_version: int = Field(description="Versions of this badge up to this one are revoked.")
    reason: str
    revoked_at: DateTimeText


class RevokedPage(Answer):
    """A page of revoked badge versions."""

    items: list[Revocation]
    until: DateTimeText | None = Field(description="The `since` of the next call.")
    complete: bool = Field(description="False while more wait beyond `until`.")


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@bp.get("/checkin/keys")
@operation(summary="The badge verification key", tags=TAGS, responses={200: Keys})
def checkin_keys():
    """The badge verification key and the tags of the door's conference and its
    categories, so that a scanner checks a badge's signature and conference without the
    server. Cacheable for 5 minutes."""
    key = public_key_bytes()
    door = current_conference(required=False)  # offline, a scanner admits to this one only
    conferences = [] if door is None else [door]
    answer = {
        "keys": [
            {
                "kid": hashlib.sha256(key).hexdigest()[:16],
                "alg": "Ed25519",
                "public_key": _b64url(key),
            }
        ],
        "code_format": 1,
        "conferences": [
            {
                "slug": conference.slug,
                "tag": conference_tag(conference.slug),
                "categories": [
                    {
                        "tag": category_tag(category.code),
                        "name": category.t("name"),
                        "colour": category.colour,
                    }
                    for category in conference.categories
                ],
            }
            for conference in conferences
        ],
    }
    return answer, 200, {"Cache-Control": "public, max-age=300"}


@bp.get("/checkin/revoked")
@operation(summary="Badges revoked since", tags=TAGS, access=STAFF_OR_DEVICE,
           query=RevokedQuery, responses={200: RevokedPage})
def checkin_revoked(query: RevokedQuery):
    """Badge versions revoked after `since`. Call again with `since=until` until
    `complete` is true; keep `until` for the next poll."""
    page = revoked_since(query.since)
    stamp = lambda value: value.replace(tzinfo=UTC).isoformat() if value else None
    return {
        "items": [
            {
                "public_id": row.public_id,
                "max_version": row.max_version,
                "reason": row.reason,
                "revoked_at": stamp(row.revoked_at),
            }
            for row in page.items
        ],
        "until": stamp(page.until),
        "complete": page.complete,
    }
