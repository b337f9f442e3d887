"""The person a registration names, as the API takes them: the fields the registration
(``POST /api/v1/registrations``) and the desk's walk-in share."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ..i18n import LANGUAGES, current_language
from ..registration.validation import RegistrationData
from .contract import Schema, required_by_the_rules

REQUIRED = ("name", "email", "organisation", "category", "consent")
EXAMPLE = {"name": "Zhang Wei", "email": "zhang.wei@example.org",
           "organisation": "Hefei Sensor Lab", "category": "delegate", "consent": True}


class RegistrantFields(Schema):
    """Each field is checked by the same rules as on the form, and every problem is
    listed at once; absent text counts as empty."""

    model_config = required_by_the_rules(*REQUIRED)

    name: str | None = None
    email: str | None = None
    organisation: str | None = None
    job_title: str | None = None
    category: str | None = Field(None, description="The category's code.")
    consent: bool | None = Field(None, description="Must be true.")
    language: str | None = Field(None, description=(
        "`zh` or `en`: the language of the e-mails; else the request's."))

    def registration_data(self, **more: Any) -> RegistrationData:
        """What the registration rules take, with ``more`` of it (phone, sessions…)."""
        return RegistrationData(
            name=self.name or "",
            email=self.email or "",
            organisation=self.organisation or "",
            job_title=self.job_title or "",
            category_code=self.category or "",
            consent=self.consent is True,
            language=self.language if self.language in LANGUAGES else current_language(),
            **more,
        )
