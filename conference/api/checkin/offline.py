"""What a scanner needs to decide offline: the key that verifies badges, and the badges
revoked since it last asked.

* ``GET /api/v1/checkin/keys`` (public): the badge verification key, raw Ed25519 in
  base64url with its key id, and the tags a scanner needs offline: of the door's conference
  (the current one) and its categories only, so that offline, too, no other badge enters.
* ``GET /api/v1/checkin/revoked?since=ISO``: revoked badge versions recorded after
  ``since``; ``until`` is the ``since`` of the next call.
Auth (revoked): see ``conference.auth.guards.api_staff_or_device``.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC

from flask import jsonify, request

from ...auth.guards import api_staff_or_device
from ...badges.tokens import category_tag, conference_tag, public_key_bytes
from ...checkin.revocations import revoked_since
from ...current import current_conference
from .. import bp
from .payloads import invalid, parse_utc


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@bp.get("/checkin/keys")
def checkin_keys():
    key = public_key_bytes()
    door = current_conference(required=False)  # offline, a scanner admits to this one only
    conferences = [] if door is None else [door]
    response = jsonify(
        {
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
    )
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response


@bp.get("/checkin/revoked")
@api_staff_or_device
def checkin_revoked():
    since_text = request.args.get("since")
    since = None
    if since_text:
        try:
            since = parse_utc(since_text)
        except ValueError as exc:
            return invalid([{"name": "since", "reason": str(exc)}])
    page = revoked_since(since)
    stamp = lambda value: value.replace(tzinfo=UTC).isoformat() if value else None
    return jsonify(
        {
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
    )
