"""The door scanner page (``/checkin``; scans go to ``POST /api/v1/checkin``) and the
badge of a walk-in registered at the desk."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, render_template
from flask_babel import gettext

from ..auth.guards import CSRF_HEADER, CSRF_HEADER_VALUE, staff_required
from ..badges.render import badge_filename, badge_pdf
from ..badges.service import can_print_badge
from ..current import current_conference
from ..i18n import LANGUAGES, current_language
from . import bp
from .service import MAX_GATE
from .walkin import desk_categories, walk_in_registration


@bp.get("/checkin")
@staff_required
def scanner():
    conference = current_conference(required=False)
    return render_template(
        "checkin/scanner.html",
        api_header=CSRF_HEADER,
        api_header_value=CSRF_HEADER_VALUE,
        max_gate=MAX_GATE,
        timezone=conference.timezone if conference is not None else "UTC",
        categories=desk_categories(conference) if conference is not None else [],
        languages=LANGUAGES,
    )


def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/checkin/walk-in/<public_id>/badge.pdf")
@staff_required
def walk_in_badge(public_id: str):
    """One A6 badge of a person registered at the desk, to print there and then."""
    registration = walk_in_registration(public_id)
    if registration is None:
        abort(404)
    if not can_print_badge(registration):
        message = gettext("No badge yet: this registration is not confirmed.")
        return _private(Response(message, status=409, mimetype="text/plain"))
    response = Response(badge_pdf(registration, current_language()), mimetype="application/pdf")
    utf8_name = quote(f"badge-{registration.name}.pdf", safe="")
    response.headers["Content-Disposition"] = (
        f"inline; filename=\"{badge_filename(registration)}\"; filename*=UTF-8''{utf8_name}"
    )
    return _private(response)
