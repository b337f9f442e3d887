"""Pages of the registration domain: the form and the attendee's manage page."""

from __future__ import annotations

from flask import abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from wtforms import StringField

from ..badges.qr import qr_svg
from ..badges.tokens import issue_code
from ..current import current_conference
from ..extensions import limiter
from ..i18n import current_language
from ..models import Registration
from ..public.service import seats_left
from . import bp
from .forms import RegistrationForm
from .seats import waitlist_position
from .service import (
    DuplicateEmail,
    InvalidRegistration,
    bookable_sessions,
    cancel,
    change_sessions,
    erase_personal_data,
    find_by_token,
    personal_data,
    public_categories,
    register,
    resend_manage_link,
)


@bp.after_request
def keep_private(response):
    """Manage links are secrets and forms carry CSRF tokens: no caching, no referrer."""
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _render_form(form: RegistrationForm, form_error: str | None = None, status: int = 200):
    return (
        render_template("registration/register.html", form=form, form_error=form_error),
        status,
    )


def _offer(form: RegistrationForm, conference) -> None:
    form.offer(public_categories(conference))
    sessions = bookable_sessions(conference)
    form.offer_sessions(sessions, seats_left(sessions))


def _register_limit() -> str:
    # Generous: a venue's Wi-Fi puts hundreds of people behind one address.
    return current_app.config.get("REGISTRATION_RATE_LIMIT", "30/minute")


@bp.route("/register", methods=["GET", "POST"], endpoint="register")
@limiter.limit(_register_limit, methods=["POST"])
def register_page():
    conference = current_conference()
    form = RegistrationForm()
    _offer(form, conference)
    if request.method == "GET":
        return _render_form(form)
    if not form.validate_on_submit():  # only the honeypot has validators of its own
        return _render_form(form, gettext("Your registration could not be accepted."), 400)
    try:
        registration = register(conference, form.to_data(current_language()))
    except InvalidRegistration as exc:
        form.add_errors(exc.errors)
        return _render_form(form, exc.message, 422)
    except DuplicateEmail as exc:
        form.add_errors({"email": [exc.message]})
        return (
            render_template(
                "registration/register.html",
                form=form,
                form_error=gettext("Please correct the marked fields."),
                resend_form=ResendForm(email=form.email.data),
            ),
            409,
        )
    return redirect(url_for(".manage", token=registration.token), code=303)


@bp.errorhandler(CSRFError)
def form_expired(error: CSRFError):
    """A missing or stale CSRF token: show the form again with what was typed."""
    if request.endpoint != "registration.register":
        return render_template("error.html", error=error), error.code
    form = RegistrationForm()
    _offer(form, current_conference())
    return _render_form(
        form, gettext("The form had expired. Please check your details and send it again."), 400
    )


STATUS_WORDS = {
    "confirmed": _l("Confirmed"),
    "pending": _l("Pending approval"),
    "waitlisted": _l("On the waiting list"),
    "cancelled": _l("Cancelled"),
    "rejected": _l("Not approved"),
}


def _badge_pdf_url(token: str) -> str:
    if "badges.badge_pdf" in current_app.view_functions:
        return url_for("badges.badge_pdf", token=token)
    return f"/registration/{token}/badge.pdf"


SEAT_WORDS = {
    "confirmed": _l("Seat confirmed"),
    "waitlisted": _l("On the waiting list"),
    "cancelled": _l("Cancelled"),
}


class CancelForm(FlaskForm):
    """Only the CSRF token: the button is the whole form."""


class ResendForm(FlaskForm):
    email = StringField()


@bp.post("/register/resend-link")
@limiter.limit(lambda: current_app.config.get("RESEND_RATE_LIMIT", "10/minute"))
def resend_link():
    form = ResendForm()
    if form.validate_on_submit():
        resend_manage_link(current_conference(), form.email.data or "")
    # The same answer whatever the address: nothing is revealed about who registered.
    return render_template("registration/resent.html")


def _owned(token: str) -> Registration:
    registration = find_by_token(token)
    if registration is None:
        abort(404)
    return registration


@bp.post("/registration/<token>/sessions")
def change_sessions_page(token: str):
    registration = _owned(token)
    if not CancelForm().validate_on_submit():
        abort(400)
    try:
        change_sessions(registration, request.form.getlist("sessions"))
    except InvalidRegistration as exc:
        return manage(token, session_errors=exc.errors.get("sessions", []), status=422)
    return redirect(url_for(".manage", token=registration.token), code=303)


@bp.get("/registration/<token>/data.json")
def my_data(token: str):
    response = jsonify(personal_data(_owned(token)))
    response.headers["Content-Disposition"] = 'attachment; filename="my-registration.json"'
    return response


@bp.post("/registration/<token>/erase")
def erase_page(token: str):
    registration = _owned(token)
    if not CancelForm().validate_on_submit():
        abort(400)
    erase_personal_data(registration)
    return redirect(url_for(".manage", token=registration.token), code=303)


@bp.post("/registration/<token>/cancel")
def cancel_page(token: str):
    registration: Registration | None = find_by_token(token)
    if registration is None:
        abort(404)
    if not CancelForm().validate_on_submit():
        abort(400)
    cancel(registration)
    return redirect(url_for(".manage", token=registration.token), code=303)


@bp.route("/registration/<token>")
def manage(token: str, session_errors: list[str] | None = None, status: int = 200):
    registration: Registration | None = find_by_token(token)
    if registration is None:
        abort(404)
    bookings = [b for b in registration.seat_bookings if b.status != "cancelled"]
    offered = bookable_sessions(registration.conference)
    code = issue_code(registration) if registration.status == "confirmed" else None
    return render_template(
        "registration/manage.html",
        registration=registration,
        status_words=str(STATUS_WORDS.get(registration.status, registration.status)),
        code=code,
        qr=qr_svg(code) if code else None,
        badge_pdf_url=_badge_pdf_url(registration.token),
        bookings=[(b, str(SEAT_WORDS[b.status]), waitlist_position(b)) for b in bookings],
        cancel_form=CancelForm(),
        offered=offered,
        free=seats_left(offered),
        picked={b.session_id for b in bookings},
        session_errors=session_errors or [],
    ), status
