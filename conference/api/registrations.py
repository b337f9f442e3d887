"""API: registrations (``POST /api/v1/registrations``)."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import gettext

from ..badges.tokens import issue_code
from ..current import current_conference
from ..errors import problem
from ..i18n import LANGUAGES, current_language
from ..mail.compose import manage_url as public_manage_url
from ..ratelimit import rate_limited
from ..registration.lifecycle import register
from ..registration.validation import (
    REGISTRATION_CHOICES,
    DuplicateEmail,
    InvalidRegistration,
    RegistrationData,
)
from . import bp

TEXT_FIELDS = ("name", "email", "organisation", "category", "job_title", "phone", "language")


def _invalid(errors: dict[str, list[str]]):
    return problem(
        422,
        "Invalid registration",
        gettext("Some fields are missing or wrong; see errors."),
        errors=errors,
    )


def _parse(body: dict) -> tuple[RegistrationData | None, dict[str, list[str]]]:
    """The registration data in ``body``, or the type errors found in it."""
    errors: dict[str, list[str]] = {}
    for field in TEXT_FIELDS:
        value = body.get(field)
        if value is not None and not isinstance(value, str):
            errors[field] = [gettext("Must be text.")]
    consent = body.get("consent")
    if consent is not None and not isinstance(consent, bool):
        errors["consent"] = [gettext("Must be true.")]
    sessions = body.get("sessions")
    if sessions is not None and (
        not isinstance(sessions, list)
        or not all(isinstance(s, str | int) and not isinstance(s, bool) for s in sessions)
    ):
        errors["sessions"] = [gettext("Must be a list of session slugs or ids.")]
    answers = body.get("answers")
    if answers is not None and not isinstance(answers, dict):
        # Each answer's own type is checked by the service, under ``answers.<code>``.
        errors["answers"] = [gettext("Must be an object of question codes and answers.")]
    if errors:
        return None, errors
    language = body.get("language")
    return (
        RegistrationData(
            name=body.get("name") or "",
            email=body.get("email") or "",
            organisation=body.get("organisation") or "",
            job_title=body.get("job_title") or "",
            phone=body.get("phone") or "",
            category_code=body.get("category") or "",
            consent=consent is True,
            language=language if language in LANGUAGES else current_language(),
            sessions=[str(s) for s in sessions or []],
            answers=answers or {},
        ),
        {},
    )


def _register_limit() -> str:
    # Generous: a venue's Wi-Fi puts hundreds of people behind one address.
    return current_app.config["REGISTRATION_RATE_LIMIT"]


@bp.post("/registrations")
@rate_limited(_register_limit)
def create_registration():
    if not request.is_json:
        return problem(
            415, "Unsupported Media Type", gettext("Send the registration as application/json.")
        )
    body = request.get_json(silent=True)
    if body is None:
        return problem(400, "Bad Request", gettext("The request body is not valid JSON."))
    if not isinstance(body, dict):
        return problem(400, "Bad Request", gettext("The request body must be a JSON object."))

    data, errors = _parse(body)
    if data is None:
        return _invalid(errors)
    conference = current_conference(load=REGISTRATION_CHOICES)
    try:
        registration = register(conference, data, source="api")
    except InvalidRegistration as exc:
        return _invalid(exc.errors)
    except DuplicateEmail as exc:
        return problem(409, "Already registered", exc.message)

    # On PUBLIC_URL like the mailed link: the Host header is whatever the client sent.
    manage_url = public_manage_url(registration)
    code = issue_code(registration) if registration.status == "confirmed" else None
    response = {
        "token": registration.token,
        "status": registration.status,
        "sessions": [
            {"id": b.session.slug, "status": b.status} for b in registration.seat_bookings
        ],
        "code": code,
        "manage_url": manage_url,
    }
    return response, 201, {"Location": manage_url, "Cache-Control": "no-store"}
