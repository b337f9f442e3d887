"""Pages of the registration domain: the form and the attendee's manage page."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from ..badges.qr import qr_svg
from ..badges.tokens import issue_code
from ..current import current_conference
from ..i18n import current_language
from ..models import Registration
from . import bp
from .forms import RegistrationForm
from .service import (
    CategoryFull,
    DuplicateEmail,
    InvalidRegistration,
    find_by_token,
    public_categories,
    register,
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


@bp.route("/register", methods=["GET", "POST"], endpoint="register")
def register_page():
    conference = current_conference()
    form = RegistrationForm()
    form.offer(public_categories(conference))
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
        return _render_form(form, gettext("Please correct the marked fields."), 409)
    except CategoryFull as exc:
        form.add_errors({"category": [exc.message + " " + gettext("Please choose another one.")]})
        return _render_form(form, gettext("Please correct the marked fields."), 409)
    return redirect(url_for(".manage", token=registration.token), code=303)


@bp.errorhandler(CSRFError)
def form_expired(error: CSRFError):
    """A missing or stale CSRF token: show the form again with what was typed."""
    if request.endpoint != "registration.register":
        return render_template("error.html", error=error), error.code
    form = RegistrationForm()
    form.offer(public_categories(current_conference()))
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


@bp.route("/registration/<token>")
def manage(token: str):
    registration: Registration | None = find_by_token(token)
    if registration is None:
        abort(404)
    code = issue_code(registration) if registration.status == "confirmed" else None
    return render_template(
        "registration/manage.html",
        registration=registration,
        status_words=str(STATUS_WORDS.get(registration.status, registration.status)),
        code=code,
        qr=qr_svg(code) if code else None,
        badge_pdf_url=_badge_pdf_url(registration.token),
    )
