"""The registration form and the "edit my details" form.

The forms carry the fields, the CSRF token and the honeypot; the rules for each field
live in ``validation`` and ``lifecycle`` (``register``, ``update_details``) so the web
forms and the JSON API answer alike. Field names match the keys of ``InvalidRegistration.errors``, except the
extra questions: the error key ``answers.<code>`` is shown on the field ``q-<code>``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
)
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..i18n import pick
from ..models import AttendeeCategory, Question, Registration, Session
from . import windows
from .questions import MAX_ANSWER_LENGTH
from .validation import MAX_LENGTHS, DetailsData, RegistrationData

ANSWER_PREFIX = "answers."
FIELD_PREFIX = "q-"


def question_field_name(question: Question) -> str:
    return FIELD_PREFIX + question.code


def _question_field(question: Question) -> Field:
    """The WTForms field asking ``question``, labelled in the current language.

    Choices and lengths are checked by ``validation``, with its own messages.
    """
    label = question.t("label") or question.code
    description = question.t("help")
    required = {"required": True} if question.required else {}
    options = [
        SelectChoice(
            option["code"], pick(option.get("label_zh"), option.get("label_en")) or option["code"]
        )
        for option in question.options or []
    ]
    if question.kind == "single":
        return SelectField(
            label,
            description=description,
            choices=[SelectChoice("", _l("Choose…")), *options],
            validate_choice=False,
            render_kw=required,
        )
    if question.kind == "multiple":
        return SelectMultipleField(
            label,
            description=description,
            choices=options,
            validate_choice=False,
            widget=ListWidget(prefix_label=False),
            option_widget=CheckboxInput(),
        )
    if question.kind == "checkbox":
        return BooleanField(label, description=description, render_kw=required)
    return StringField(
        label, description=description, render_kw={"maxlength": MAX_ANSWER_LENGTH, **required}
    )


class QuestionsMixin:
    """Fields for a conference's extra questions, added by ``with_questions``."""

    questions: ClassVar[tuple[Question, ...]] = ()

    @classmethod
    def with_questions(cls, questions: list[Question]) -> type:
        """A subclass of the form that also asks ``questions`` (labels in the current
        language, so build it per request)."""
        attributes: dict[str, Any] = {"questions": tuple(questions)}
        for question in questions:
            attributes[question_field_name(question)] = _question_field(question)
        return type(cls.__name__, (cls,), attributes)

    def question_rows(self) -> list[tuple[Question, Field]]:
        return [(q, self._fields[question_field_name(q)]) for q in self.questions]

    def answers_data(self) -> dict[str, Any]:
        """Question code → what was entered, for ``validation`` to check."""
        return {question.code: field.data for question, field in self.question_rows()}

    @staticmethod
    def answers_to_data(registration: Registration) -> dict[str, Any]:
        """Initial field values from the stored answers."""
        return {
            FIELD_PREFIX + answer.question.code: answer.value for answer in registration.answers
        }

    def add_errors(self, errors: dict[str, list[str]]) -> None:
        """Show the messages of ``validation`` next to their fields."""
        for key, messages in errors.items():
            name = (
                FIELD_PREFIX + key[len(ANSWER_PREFIX) :] if key.startswith(ANSWER_PREFIX) else key
            )
            field = self._fields.get(name)
            if field is not None:
                field.errors = [*field.errors, *messages]


def _must_stay_empty(form, field) -> None:
    if field.data:
        raise ValidationError("honeypot")


class PersonForm(QuestionsMixin, FlaskForm):
    """The person's own fields, shared by registering and editing details."""

    name = StringField(
        _l("Name"),
        render_kw={"maxlength": MAX_LENGTHS["name"], "autocomplete": "name", "required": True},
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


def _email_field(label) -> EmailField:
    """An e-mail address field as phones should offer it (mail keyboard, no capitals)."""
    return EmailField(
        label,
        render_kw={
            "maxlength": MAX_LENGTHS["email"],
            "autocomplete": "email",
            "required": True,
            "inputmode": "email",
            "spellcheck": "false",
            "autocapitalize": "off",
        },
    )


class RegistrationForm(PersonForm):
    email = _email_field(_l("E-mail"))
    # Unknown codes are reported by ``validation`` with its own message.
    category = SelectField(_l("Category"), choices=[], validate_choice=False)
    # Limited sessions; unknown or overlapping picks are reported by ``validation``.
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

    def offer(self, categories: list[AttendeeCategory], now: datetime) -> None:
        """Fill the category list with ``categories``, named in the current language;
        those outside their registration window at ``now`` are shown but disabled."""
        choices = [SelectChoice("", _l("Choose…"))]
        for category in categories:
            name = category.t("name")
            state = windows.window_state(category, now)
            if state == windows.NOT_YET:
                when = windows.local_moment(category.opens_at, category.conference)
                label = _l("%(name)s (opens on %(when)s)", name=name, when=when)
            elif state == windows.CLOSED:
                label = _l("%(name)s (registration closed)", name=name)
            elif category.needs_approval:
                label = _l("%(name)s (needs approval)", name=name)
            else:
                label = name
            closed = {"disabled": True} if state != windows.OPEN else {}
            choices.append(SelectChoice(category.code, label, closed))
        self.category.choices = choices

    def offer_sessions(self, sessions: list[Session], seats_left: dict[int, int | None]) -> None:
        """Fill the session list; ``seats_left`` labels each with its free seats."""
        self.session_info = {s.slug: (s, seats_left.get(s.id)) for s in sessions}
        self.sessions.choices = [SelectChoice(s.slug, s.t("title")) for s in sessions]

    @staticmethod
    def initial_from(registration: Registration) -> dict[str, Any]:
        """The details of an earlier (cancelled) registration as the starting values of a
        new one; consent and session picks are the person's to give again."""
        return {
            "name": registration.name,
            "email": registration.email or "",
            "organisation": registration.organisation or "",
            "job_title": registration.job_title or "",
            "phone": registration.phone or "",
            "category": registration.category.code,
        }

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
            answers=self.answers_data(),
        )


class ResendForm(FlaskForm):
    """The address to mail the link of its registration to, on the registration page."""

    email = _email_field(_l("Your e-mail address"))


LANGUAGE_NAMES = {"zh": "中文", "en": "English"}


class DetailsForm(PersonForm):
    """What the attendee may change on the manage page; the e-mail address is shown only."""

    # Unknown languages are reported by ``validation``.
    language = SelectField(
        _l("Language of our e-mails"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
        validate_choice=False,
    )

    @classmethod
    def initial(cls, registration: Registration) -> dict[str, Any]:
        """The stored details as the form's starting values."""
        return {
            "name": registration.name,
            "organisation": registration.organisation or "",
            "job_title": registration.job_title or "",
            "phone": registration.phone or "",
            "language": registration.language,
            **cls.answers_to_data(registration),
        }

    def to_data(self) -> DetailsData:
        return DetailsData(
            name=self.name.data or "",
            organisation=self.organisation.data or "",
            job_title=self.job_title.data or "",
            phone=self.phone.data or "",
            language=self.language.data or "",
            answers=self.answers_data(),
        )
