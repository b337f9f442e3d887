"""Organiser page of one registration, ``/admin/registrations/<id>``: details, answers,
sessions, history, scans and mails; edit, approve or reject, cancel, send the mail again,
print the badge.

Addressed by the internal id, which only organisers see: the manage token stays the
attendee's secret and never appears in the back office's addresses.
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from ..badges.render import badge_filename
from ..badges.render import badge_pdf as render_badge_pdf
from ..badges.service import can_print_badge
from ..extensions import db
from ..i18n import current_language
from ..models import Registration
from ..models.question import answer_text
from ..registration.details_form import details_round_trip
from ..registration.lifecycle import approve, can_edit_details, reject
from ..registration.words import SEAT_WORDS, STATUS_WORDS
from . import bp
from .registration_record import (
    cancel_by_organiser,
    edit,
    history,
    mail_subject,
    mails_of,
    resend,
    scans_of,
)
from .registrations import DecisionForm, organiser_required


def _registration(registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        abort(404)
    return registration


def _back(registration: Registration):
    return redirect(url_for("admin.registration_page", registration_id=registration.id), code=303)


def _show(registration: Registration):
    mails, scans = mails_of(registration), scans_of(registration)
    return render_template(
        "admin/people/registration.html",
        registration=registration,
        status_words=STATUS_WORDS,
        seat_words=SEAT_WORDS,
        answers=[(answer.question.t("label"), answer_text(answer.question, answer.value))
                 for answer in sorted(registration.answers, key=lambda a: a.question.position)],
        bookings=registration.seat_bookings,
        events=history(registration, mails, scans),
        scans=scans,
        mails=mails,
        mail_subject=mail_subject,
        can_edit=can_edit_details(registration),
        can_print=can_print_badge(registration),
        form=DecisionForm(),
    )


def _approve(registration: Registration) -> str:
    if approve(registration):
        return gettext("Approved: %(name)s.", name=registration.name)
    return gettext("Nothing changed: this registration was no longer pending.")


def _reject(registration: Registration) -> str:
    if reject(registration) is not None:
        return gettext("Not approved: %(name)s.", name=registration.name)
    return gettext("Nothing changed: this registration was no longer pending.")


def _cancel(registration: Registration) -> str:
    if cancel_by_organiser(registration):
        return gettext("Cancelled: %(name)s. The badge no longer works.", name=registration.name)
    return gettext("Nothing changed: this registration had ended already.")


def _resend(registration: Registration) -> str:
    if resend(registration) is not None:
        return gettext("The mail was sent again to %(email)s.", email=registration.email)
    return gettext("This registration has no e-mail address.")


# The buttons of the page: each does one thing and says what came of it.
ACTIONS = {"approve": _approve, "reject": _reject, "cancel": _cancel, "resend": _resend}


@bp.route("/registrations/<int:registration_id>", methods=["GET", "POST"])
@organiser_required
def registration_page(registration_id: int):
    """The page (``?edit`` for the details form); a POST does its ``action``: one of
    ``ACTIONS``, or ``edit`` to save the details form.

    Every action posts to the page's own address: ``/admin/registrations/<token>/<decision>``
    (the list's approve and reject) would otherwise also match any longer path here."""
    registration = _registration(registration_id)
    if request.method == "GET":
        return _edit(registration) if "edit" in request.args else _show(registration)
    action = request.form.get("action")
    if action == "edit":
        return _edit(registration)
    if action not in ACTIONS or not DecisionForm().validate_on_submit():
        abort(400)
    flash(ACTIONS[action](registration))
    return _back(registration)


def _edit_page(registration: Registration, form, status: int = 200, form_error: str | None = None):
    return render_template("admin/people/registration_edit.html", registration=registration,
                           form=form, form_error=form_error), status


def _edit(registration: Registration):
    if not can_edit_details(registration):
        flash(gettext("This registration can no longer be changed."))
        return _back(registration)

    def done(saved: bool = False):
        if saved:
            flash(gettext("Saved."))
        return _back(registration)

    return details_round_trip(registration, edit, _edit_page, done,
                              gettext("The changes could not be saved."))


@bp.get("/registrations/<int:registration_id>-badge.pdf")
@organiser_required
def registration_badge(registration_id: int):
    registration = _registration(registration_id)
    if not can_print_badge(registration):
        abort(409, description=gettext("Only a confirmed registration has a badge."))
    response = Response(render_badge_pdf(registration, current_language()), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{badge_filename(registration)}"'
    return response
