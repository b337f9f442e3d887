"""API: registrations (``POST /api/v1/registrations``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from flask import current_app
from flask_babel import gettext
from pydantic import BeforeValidator, Field, WithJsonSchema

from ..badges.tokens import issue_code
from ..boundary import MAX_ID
from ..current import current_conference
from ..errors import problem
from ..mail.compose import manage_url as public_manage_url
from ..ratelimit import rate_limited
from ..registration.lifecycle import register
from ..registration.validation import (
    REGISTRATION_CHOICES,
    DuplicateEmail,
    InvalidRegistration,
)
from . import bp
from .contract import Answer, invalid_registration, operation, required_by_the_rules
from .registrant import EXAMPLE, REQUIRED, RegistrantFields

TITLE = "Invalid registration"


def _session_pick(value: Any) -> str:
    """A session's slug, or its id as the catalogue lists it (kept as text)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID:
        return str(value)
    raise ValueError(gettext("Must be a session's slug or id."))


SessionPick = Annotated[
    str,
    BeforeValidator(_session_pick),
    WithJsonSchema({"anyOf": [{"type": "string"},
                              {"type": "integer", "minimum": 1, "maximum": MAX_ID}]}),
]


class RegistrationRequest(RegistrantFields):
    """A registration: the fields the form requires are required here too."""

    model_config = required_by_the_rules(*REQUIRED, example={**EXAMPLE, "language": "zh"})

    phone: str | None = None
    sessions: list[SessionPick] | None = Field(None, description=(
        "Sessions with seats to book, by slug or id."))
    answers: dict[str, Any] | None = Field(None, description=(
        "Answers to the extra questions, by question code (`answers.<code>` in errors)."))


class SeatAnswer(Answer):
    id: str = Field(description="The session's slug.")
    status: Literal["confirmed", "waitlisted"]


class Registered(Answer):
    token: str = Field(description="The manage token: keep it secret.")
    status: Literal["confirmed", "waitlisted", "pending"]
    sessions: list[SeatAnswer]
    code: str | None = Field(description="The badge's QR payload, once confirmed.")
    manage_url: str = Field(description="The manage page (the same link as mailed).")


def _register_limit() -> str:
    # Generous: a venue's Wi-Fi puts hundreds of people behind one address.
    return current_app.config["REGISTRATION_RATE_LIMIT"]


@bp.post("/registrations")
@rate_limited(_register_limit)
@operation(
    summary="Register", tags=["registration"], body=RegistrationRequest, json_type=True,
    invalid_title=TITLE,
    responses={
        201: Registered,
        404: "No conference has been loaded yet.",
        409: "The e-mail address is registered already.",
        429: "Too many registrations from this address in a minute.",
    },
    headers={201: {"Location": "The manage page."},
             429: {"Retry-After": "Seconds to wait."}},
)
def create_registration(body: RegistrationRequest):
    """Registers a person: confirmed, waitlisted (the category is full) or pending (the
    category needs approval). The confirmation e-mail with the manage link goes out as
    from the form."""
    data = body.registration_data(
        phone=body.phone or "", sessions=list(body.sessions or []), answers=body.answers or {}
    )
    conference = current_conference(load=REGISTRATION_CHOICES)
    try:
        registration = register(conference, data, source="api")
    except InvalidRegistration as exc:
        return invalid_registration(exc.errors, TITLE)
    except DuplicateEmail as exc:
        return problem(409, "Already registered", exc.message)

    # On PUBLIC_URL like the mailed link: the Host header is whatever the client sent.
    manage_url = public_manage_url(registration)
    code = issue_code(registration) if registration.status == "confirmed" else None
    answer = {
        "token": registration.token,
        "status": registration.status,
        "sessions": [
            {"id": b.session.slug, "status": b.status} for b in registration.seat_bookings
        ],
        "code": code,
        "manage_url": manage_url,
    }
    return answer, 201, {"Location": manage_url, "Cache-Control": "no-store"}
