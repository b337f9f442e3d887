"""Views of the badges domain: an attendee's own badge and agenda as PDFs, and their booked
sessions as a calendar file."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, render_template, request

from ..i18n import current_language
from ..mail.compose import sessions_ics
from ..models.registration import find_by_token
from . import bp
from .agenda import personal_agenda_pdf as render_personal_agenda
from .render import badge_filename
from .render import badge_pdf as render_badge_pdf
from .service import BadgeNotReady, NoSuchBadge, printable_registration


def _keep_private(response: Response) -> Response:
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/registration/<token>/badge.pdf")
def badge_pdf(token: str):
    try:
        registration = printable_registration(token)
    except NoSuchBadge:
        abort(404)
    except BadgeNotReady as exc:
        page = render_template("badges/not_ready.html", registration=exc.registration)
        return _keep_private(Response(page, status=409, mimetype="text/html"))
    back = request.args.get("back") in ("1", "true", "yes")
    response = Response(render_badge_pdf(registration, current_language(), back=back),
                        mimetype="application/pdf")
    filename = badge_filename(registration)
    utf8_name = quote(f"badge-{registration.name}.pdf", safe="")
    response.headers["Content-Disposition"] = (
        f"inline; filename=\"{filename}\"; filename*=UTF-8''{utf8_name}"
    )
    return _keep_private(response)


@bp.get("/registration/<token>/agenda.pdf")
def personal_agenda_pdf(token: str):
    registration = find_by_token(token)
    if registration is None:
        abort(404)
    response = Response(render_personal_agenda(registration, current_language()),
                        mimetype="application/pdf")
    response.headers["Content-Disposition"] = 'inline; filename="agenda.pdf"'
    return _keep_private(response)


@bp.get("/registration/<token>/agenda.ics")
def personal_agenda_ics(token: str):
    """The sessions the attendee holds a seat in, for their calendar app (the same file
    their confirmation mail carries)."""
    registration = find_by_token(token)
    if registration is None:
        abort(404)
    response = Response(sessions_ics(registration), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'attachment; filename="my-sessions.ics"'
    return _keep_private(response)
