"""Pages of the registration domain: the form and the attendee's manage page."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from markupsafe import Markup

from ..badges.qr import qr_svg
from ..badges.tokens import issue_code
from ..current import current_conference
from ..errors import error_answer
from ..i18n import current_language
from ..models import Registration
from ..models.base import utcnow
from ..models.question import answer_text
from ..models.registration import find_by_token, may_register_again
from ..public.service import seats_left
from ..ratelimit import rate_limited
from . import bp
from .details_form import details_round_trip
from .forms import DetailsForm, RegistrationForm, ResendForm
from .lifecycle import (
    can_edit_details,
    cancel,
    change_sessions,
    register,
    update_details,
)
from .lookups import request_manage_link, to_register_again
from .privacy import erase_personal_data, personal_data
from .questions import questions_of
from .seats import waitlist_position
from .validation import (
    REGISTRATION_CHOICES,
    DuplicateEmail,
    InvalidRegistration,
    bookable_sessions,
    public_categories,
)
from .words import SEAT_WORDS, STATUS_WORDS


@bp.after_request
def keep_private(response):
    """Manage links are secrets and forms carry CSRF tokens: no caching, no referrer."""
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _render_form(
    form: RegistrationForm,
    form_error: str | None = None,
    status: int = 200,
    resend_form: ResendForm | None = None,
    resend_asked: bool = False,
):
    """The form, and the small one that mails the link of an existing registration again
    (marked, with the address typed, after a refused duplicate)."""
    return (
        render_template(
            "registration/register.html",
            form=form,
            form_error=form_error,
            resend_form=resend_form or ResendForm(formdata=None),
            resend_asked=resend_asked,
        ),
        status,
    )


def _registration_form(conference) -> RegistrationForm:
    """The form with the conference's questions, categories and sessions offered."""
    form = RegistrationForm.with_questions(questions_of(conference))()
    form.offer(public_categories(conference), utcnow())
    sessions = bookable_sessions(conference)
    form.offer_sessions(sessions, seats_left(sessions))
    return form


def _register_limit() -> str:
    # Generous: a venue's Wi-Fi puts hundreds of people behind one address.
    return current_app.config["REGISTRATION_RATE_LIMIT"]


@bp.route("/register", methods=["GET", "POST"], endpoint="register")
@rate_limited(_register_limit, methods=["POST"])
def register_page():
    conference = current_conference(load=REGISTRATION_CHOICES)
    form = _registration_form(conference)
    if request.method == "GET":
        earlier = to_register_again(conference, request.args.get("again", ""))
        if earlier is not None:
            form.process(data=RegistrationForm.initial_from(earlier))
        return _render_form(form)
    if not form.validate_on_submit():  # only the honeypot has validators of its own
        return _render_form(form, gettext("Your registration could not be accepted."), 400)
    try:
        registration = register(conference, form.to_data(current_language()))
    except InvalidRegistration as exc:
        form.add_errors(exc.errors)
        return _render_form(form, exc.message, 422)
    except DuplicateEmail as exc:
        resend = Markup('<a href="#resend-link">{}</a>').format(
            gettext("We can e-mail your link again.")
        )
        form.add_errors({"email": [exc.message, resend]})
        return _render_form(
            form,
            gettext("Please correct the marked fields."),
            409,
            resend_form=ResendForm(formdata=None, email=form.email.data),
            resend_asked=True,
        )
    return redirect(url_for(".manage", token=registration.token), code=303)


@bp.errorhandler(CSRFError)
def form_expired(error: CSRFError):
    """A missing or stale CSRF token: show the form again with what was typed."""
    expired = gettext("The form had expired. Please check your details and send it again.")
    if request.endpoint == "registration.edit_details":
        registration = _owned((request.view_args or {}).get("token", ""))
        form = DetailsForm.with_questions(questions_of(registration.conference))()
        return _details_page(registration, form, 400, expired)
    if request.endpoint != "registration.register":
        return error_answer(error)
    return _render_form(_registration_form(current_conference()), expired, 400)


def _badge_pdf_url(token: str) -> str:
    if "badges.badge_pdf" in current_app.view_functions:
        return url_for("badges.badge_pdf", token=token)
    return f"/registration/{token}/badge.pdf"


class CancelForm(FlaskForm):
    """Only the CSRF token: the button is the whole form."""


def _language_asked() -> dict[str, str]:
    return {"lang": request.args["lang"]} if "lang" in request.args else {}


def _to_manage(registration: Registration):
    """Back to the manage page, in the language asked for: the answer to a GET of an
    address that takes only forms (the language switch of a page shown there)."""
    return redirect(url_for(".manage", token=registration.token, **_language_asked()), code=303)


@bp.route("/register/resend-link", methods=["GET", "POST"])
@rate_limited(lambda: current_app.config["RESEND_RATE_LIMIT"], methods=["POST"])
def resend_link():
    if request.method == "GET":  # the language switch of the page answering the form
        return redirect(url_for(".register", **_language_asked()), code=303)
    form, asked = ResendForm(), None
    if form.validate_on_submit():
        asked = form.email.data or ""
    # The same answer whatever the address, in the same time: nothing is revealed about
    # who registered. The work starts once the server has sent it (``call_on_close``),
    # so that it does not even share the CPU with the answer.
    response = make_response(render_template("registration/resent.html"))
    if asked is not None:
        response.call_on_close(request_manage_link(current_conference(), asked))
    return response


def _owned(token: str) -> Registration:
    registration = find_by_token(token)
    if registration is None:
        abort(404)
    return registration


@bp.route("/registration/<token>/sessions", methods=["GET", "POST"])
def change_sessions_page(token: str):
    registration = _owned(token)
    if request.method == "GET":  # the address left in the bar by a refused change
        return _to_manage(registration)
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


@bp.route("/registration/<token>/erase", methods=["GET", "POST"])
def erase_page(token: str):
    registration = _owned(token)
    if request.method == "GET":  # the address left in the bar by a refused form
        return _to_manage(registration)
    if not CancelForm().validate_on_submit():
        abort(400)
    erase_personal_data(registration)
    return redirect(url_for(".manage", token=registration.token), code=303)


@bp.route("/registration/<token>/cancel", methods=["GET", "POST"])
def cancel_page(token: str):
    registration = _owned(token)
    if request.method == "GET":  # the address left in the bar by a refused form
        return _to_manage(registration)
    if not CancelForm().validate_on_submit():
        abort(400)
    cancel(registration)
    return redirect(url_for(".manage", token=registration.token), code=303)


def _details_page(
    registration: Registration, form: DetailsForm, status: int = 200, form_error: str | None = None
):
    return (
        render_template(
            "registration/details.html",
            registration=registration,
            form=form,
            form_error=form_error,
        ),
        status,
    )


@bp.route("/registration/<token>/details", methods=["GET", "POST"])
def edit_details(token: str):
    """Change name, organisation, job title, phone, language and answers."""
    registration = _owned(token)
    if not can_edit_details(registration):
        return redirect(url_for(".manage", token=registration.token), code=303)

    def done(saved: bool = False):
        if saved:
            flash(gettext("Your details have been saved."))
        return redirect(url_for(".manage", token=registration.token), code=303)

    return details_round_trip(registration, update_details, _details_page, done,
                              gettext("Your changes could not be saved."))
    flash(gettext("Your details have been saved."))
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
        has_seats=any(b.status == "confirmed" for b in bookings),
        session_errors=session_errors or [],
        answers=[
            (answer.question.t("label"), answer_text(answer.question, answer.value))
            for answer in sorted(registration.answers, key=lambda a: a.question.position)
        ],
        can_edit=can_edit_details(registration),
        register_again=_may_register_here_again(registration),
    ), status


def _may_register_here_again(registration: Registration) -> bool:
    """Offer the form again: the registration was cancelled, its address is free and the
    form registers for its conference (the site's current one)."""
    here = current_conference(required=False)
    return here is not None and here.id == registration.conference_id and may_register_again(
        registration
    )
