"""The details form's round trip, shared by the attendee's page and the organiser's:
the form filled from the registration, checked, saved through ``save``, and shown again
with each field's refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import request

from ..models import Registration
from .forms import DetailsForm
from .questions import questions_of
from .validation import InvalidRegistration, RegistrationError


def details_round_trip(
    registration: Registration,
    save: Callable[[Registration, Any], object],
    page: Callable[..., Any],
    done: Callable[[], Any],
    not_saved: str,
):
    """GET: ``page(registration, form)`` filled in. POST: ``save`` the checked data, then
    ``done()``; ``page(registration, form, status, message)`` again when refused (400 for
    the form, 422 for the rules); ``done()`` when the registration can no longer change."""
    form_class = DetailsForm.with_questions(questions_of(registration.conference))
    if request.method == "GET":
        return page(registration, form_class(data=DetailsForm.initial(registration)))
    form = form_class()
    if not form.validate_on_submit():  # only the CSRF token is checked here
        return page(registration, form, 400, not_saved)
    try:
        save(registration, form.to_data())
    except InvalidRegistration as exc:
        form.add_errors(exc.errors)
        return page(registration, form, 422, exc.message)
    except RegistrationError:
        return done()
    return done(saved=True)
