"""The standard limits of an e-mail address: 64 octets before the @, 254 in all."""

from __future__ import annotations

import pytest

from conference.extensions import db
from conference.models import Registration
from tests.api.problems import invalid_fields
from tests.registration.conference_data import api_body, form_data
from tests.registration.pages import field_error

API = "/api/v1/registrations"
TOO_LONG_BEFORE_AT = "The part before the @ is too long; please use a shorter e-mail address."


def _emails(app) -> list[str]:
    with app.app_context():
        return list(db.session.execute(db.select(Registration.email)).scalars())


def test_form_refuses_a_240_character_local_part_next_to_the_field(client, app, conference_slug):
    response = client.post("/register?lang=en", data=form_data(email="a" * 240 + "@example.org"))

    assert response.status_code == 422
    assert field_error(response, "email") == TOO_LONG_BEFORE_AT
    assert _emails(app) == []


def test_api_refuses_a_240_character_local_part_as_a_problem(client, app, conference_slug):
    response = client.post(f"{API}?lang=en", json=api_body(email="a" * 240 + "@example.org"))

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert invalid_fields(response.json) == {"email": [TOO_LONG_BEFORE_AT]}
    assert _emails(app) == []


@pytest.mark.parametrize(
    ("local_part", "accepted"),
    [
        ("a" * 64, True),
        ("a" * 65, False),
        ("王" * 21, True),  # 63 octets in UTF-8
        ("王" * 22, False),  # 66 octets: fewer characters than 64, but too long all the same
    ],
)
def test_the_limit_before_the_at_is_64_octets(client, app, conference_slug, local_part, accepted):
    response = client.post(f"{API}?lang=en", json=api_body(email=f"{local_part}@example.org"))

    if accepted:
        assert response.status_code == 201, response.json
        assert _emails(app) == [f"{local_part}@example.org"]
    else:
        assert response.status_code == 422
        assert invalid_fields(response.json)["email"] == [TOO_LONG_BEFORE_AT]


def test_an_address_over_254_octets_is_refused(client, app, conference_slug):
    domain = ".".join(["b" * 60] * 3) + ".example.org"  # 195 characters
    address = "a" * 60 + "@" + domain  # 256 characters, each part within its own limit

    response = client.post(f"{API}?lang=en", json=api_body(email=address))

    assert response.status_code == 422
    assert "email" in invalid_fields(response.json)
    assert _emails(app) == []
