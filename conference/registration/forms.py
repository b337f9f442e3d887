"""The registration form.

The form carries the fields, the CSRF token and the honeypot; the rules for each field
live in ``service.register`` so the web form and the JSON API answer alike. Field names
match the keys of ``InvalidRegistration.errors``.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
)
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..models import AttendeeCategory, Session
from .service import MAX_LENGTHS, RegistrationData


def _must_stay_empty(form, field) -> None:
    if field.data:
        raise ValidationError("honeypot")


class RegistrationForm(FlaskForm):
    name = StringField(
        _l("Name"),
        render_kw={"maxlength": MAX_LENGTHS["name"], "autocomplete": "name", "required": True},
    )
    email = EmailField(
        _l("E-mail"),
        render_kw={
            "maxlength": MAX_LENGTHS["email"],
            "autocomplete": "email",
            "required": True,
            "inputmode": "email",
            "spellcheck": "false",
            "autocapitalize": "off",
        },
    )
    organisation = StringField(
        _l("Organisation"),
        render_kw={
            "maxlength": MAX_LENGTHS["organisation"],
            "autocomplete": "organization",
            "required": True,
        },
    )
    job_title = StringField(
        _l("Job title"),
        render_kw={"maxlength": MAX_LENGTHS["job_title"], "autocomplete": "organization-title"},
    )
    phone = TelField(
        _l("Phone"),
        render_kw={"maxlength": MAX_LENGTHS["phone"], "autocomplete": "tel", "inputmode": "tel"},
    )
    # Unknown codes are reported by the service with its own message.
    category = SelectField(_l("Category"), choices=[], validate_choice=False)
    # Limited sessions; unknown or overlapping picks are reported by the service.
    sessions = SelectMultipleField(
        _l("Sessions with limited seats"),
        choices=[],
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    consent = BooleanField(_l("I agree that my details are stored and used as described above."))
    # Honeypot: hidden from people, filled in by bots that fill in everything.
    website = StringField(
        _l("Leave this field empty"),
        validators=[_must_stay_empty],
        render_kw={"autocomplete": "off", "tabindex": "-1"},
    )

    def offer(self, categories: list[AttendeeCategory]) -> None:
        """Fill the category list with ``categories``, named in the current language."""
        self.category.choices = [("", _l("Choose…"))] + [
            (
                category.code,
                _l("%(name)s (needs approval)", name=category.t("name"))
                if category.needs_approval
                else category.t("name"),
            )
            for category in categories
        ]

    def offer_sessions(self, sessions: list[Session], seats_left: dict[int, int | None]) -> None:
        """Fill the session list; ``seats_left`` labels each with its free seats."""
        self.session_info = {s.slug: (s, seats_left.get(s.id)) for s in sessions}
        self.sessions.choices = [(s.slug, s.t("title")) for s in sessions]

    def is_bot(self) -> bool:
        return bool(self.website.errors)

    def to_data(self, language: str) -> RegistrationData:
        return RegistrationData(
            name=self.name.data or "",
            email=self.email.data or "",
            organisation=self.organisation.data or "",
            job_title=self.job_title.data or "",
            phone=self.phone.data or "",
            category_code=self.category.data or "",
            consent=bool(self.consent.data),
            language=language,
            sessions=list(self.sessions.data or []),
        )

    def add_errors(self, errors: dict[str, list[str]]) -> None:
        """Show the service's messages next to their fields."""
        for field_name, messages in errors.items():
            field = self._fields.get(field_name)
            if field is not None:
                field.errors = [*field.errors, *messages]
