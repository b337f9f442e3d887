"""Organiser page: registrations by status or all of them, searched by name, e-mail or
organisation; approve or reject the pending ones, and export them all (CSV or Excel) with
their session picks and answers."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import wraps

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wsgi import wrap_file

from ..current import current_conference
from ..extensions import db, login_manager
from ..models import Registration
from ..models.base import utcnow
from ..registration.export import csv_chunks, registrations_table, write_xlsx
from ..registration.lifecycle import approve, reject
from ..registration.retention import purge_date
from ..registration.search import MAX_QUERY_LENGTH, MIN_QUERY_LENGTH
from ..registration.words import STATUS_WORDS
from . import bp
from .registration_list import ALL, LISTED_STATUSES, registration_list


def organiser_required(view: Callable) -> Callable:
    """Page decorator: organisers and admins only."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.has_role("organiser"):
            abort(403)
        return view(*args, **kwargs)

    return wrapper


class DecisionForm(FlaskForm):
    """Only the CSRF token; the button says approve or reject."""


def _list_args(status: str | None, query: str | None) -> dict[str, str]:
    """The query string that reopens the list on this status and search."""
    args = {}
    if status in (*LISTED_STATUSES, ALL):
        args["status"] = status
    if query:
        args["q"] = query[:MAX_QUERY_LENGTH]
    return args


@bp.get("/registrations")
@organiser_required
def registrations():
    typed = (request.args.get("q") or "").strip()[:MAX_QUERY_LENGTH]
    conference = current_conference()
    listing = registration_list(conference, request.args.get("status"), typed,
                                request.args.get("page", 1, type=_page_number))
    return render_template(
        "admin/registrations.html",
        listing=listing,
        rows=listing.rows,
        status=listing.status,
        typed=typed,
        statuses=(ALL, *LISTED_STATUSES),
        status_words=STATUS_WORDS,
        min_query_length=MIN_QUERY_LENGTH,
        list_args=_list_args(listing.status, listing.query),
        form=DecisionForm(),
        purge_on=purge_date(conference),
        retention_days=current_app.config["RETENTION_DAYS"],
        today=utcnow().date(),
    )


def _page_number(text: str) -> int:
    """A page number as typed in the address; anything else is the first page."""
    return int(text) if text.isdigit() and len(text) <= 6 else 1


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@bp.get("/registrations/export.<fmt>")
@organiser_required
def export_registrations(fmt: str):
    """Every registration (or those of ``?status=``), one row each; headings in the
    organiser's language."""
    if fmt not in EXPORT_TYPES:
        abort(404)
    status = request.args.get("status")
    if status not in LISTED_STATUSES:
        status = None
    conference = current_conference()
    table = registrations_table(conference, status)
    filename = f"{conference.slug}-registrations-{utcnow():%Y%m%d-%H%M}.{fmt}"
    if fmt == "csv":  # sent while it is written
        body = stream_with_context(csv_chunks(table))
    else:  # a zip file: complete before the first byte can go
        body = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the response once sent)
        write_xlsx(table, conference.acronym, body)
        body.seek(0)
        body = wrap_file(request.environ, body)
    return Response(
        body,
        mimetype=EXPORT_TYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
        direct_passthrough=fmt == "xlsx",
    )


@bp.post("/registrations/<int:registration_id>/<decision>")
@organiser_required
def decide(registration_id: int, decision: str):
    """Approve or reject; the registration is named by its row id, never by the manage
    token, which is the attendee's secret and would end up in logs and browser history."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or decision not in ("approve", "reject"):
        abort(404)
    if not DecisionForm().validate_on_submit():
        abort(400)
    done = approve(registration) if decision == "approve" else reject(registration) is not None
    if done:
        flash(gettext("Done: %(name)s.", name=registration.name))
    else:
        flash(gettext("Nothing changed: this registration was no longer pending."))
    back = _list_args(request.args.get("status"), request.args.get("q"))
    return redirect(url_for(".registrations", **back), code=303)
