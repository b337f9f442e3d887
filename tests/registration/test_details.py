"""Editing one's details on the manage page: same rules as registering, e-mail fixed."""

from __future__ import annotations

import pytest

from conference.extensions import db
from conference.models import Registration
from tests.registration.conference_data import api_body, make_required
from tests.registration.pages import field_error, parse_page

API = "/api/v1/registrations"




def _stored(app, token: str) -> Registration:
    with app.app_context():
        registration = db.session.execute(
            db.select(Registration).where(Registration.token == token)
        ).scalar_one()
        registration.answer_values = {a.question.code: a.value for a in registration.answers}
        db.session.expunge(registration)
        return registration


def _details(**changes) -> dict:
    data = {
        "name": "Ada King",
        "organisation": "Analytical Engines Ltd",
        "job_title": "Countess",
        "phone": "+44 20 1234",
        "language": "en",
        "q-diet": "none",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def token(client, conference_slug) -> str:
    body = api_body(
        job_title="Programmer", answers={"diet": "vegetarian", "access": "Ramp", "news": True}
    )
    return client.post(API, json=body).json["token"]


def test_manage_page_links_to_the_form_filled_with_the_stored_details(client, token):
    manage = parse_page(client.get(f"/registration/{token}?lang=en"))
    assert manage.xpath(f"//a[@href='/registration/{token}/details']")
    page = parse_page(client.get(f"/registration/{token}/details?lang=en"))
    assert page.xpath("//input[@name='name']/@value") == ["Ada Lovelace"]
    assert page.xpath("//input[@name='job_title']/@value") == ["Programmer"]
    assert page.xpath("//select[@name='q-diet']/option[@selected]/@value") == ["vegetarian"]
    assert page.xpath("//input[@name='q-access']/@value") == ["Ramp"]
    assert page.xpath("//input[@name='q-news']/@checked")
    # The e-mail address is shown but is not a field of the form.
    assert page.xpath("//input[@readonly and @value='ada@example.org']")
    assert not page.xpath("//input[@name='email']")


def test_saving_changes_details_and_answers(client, app, token):
    response = client.post(
        f"/registration/{token}/details?lang=en",
        data=_details(**{"q-topics": ["energy"], "language": "zh", "email": "evil@example.org"}),
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/registration/{token}")
    stored = _stored(app, token)
    assert (stored.name, stored.job_title, stored.phone) == ("Ada King", "Countess", "+44 20 1234")
    assert stored.language == "zh"
    assert stored.email == "ada@example.org"  # not changeable
    # Cleared answers are gone, changed ones changed, new ones added.
    assert stored.answer_values == {"diet": "none", "topics": ["energy"]}
    manage = client.get(f"/registration/{token}?lang=en").get_data(as_text=True)
    assert "Your details have been saved." in manage and "Ada King" in manage


def test_the_rules_of_registering_apply(client, app, token):
    make_required(app, "topics")
    response = client.post(
        f"/registration/{token}/details?lang=en",
        data=_details(name="", phone="call me", language="fr", **{"q-diet": "steak"}),
    )
    assert response.status_code == 422
    assert field_error(response, "name") == "Please enter your name."
    assert field_error(response, "phone") == (
        "A phone number may hold only digits, +, - and spaces."
    )
    assert field_error(response, "language") == "Please choose a language."
    assert field_error(response, "q-diet") == "Please choose one of the options offered."
    assert field_error(response, "q-topics") == "Please choose at least one option."
    assert parse_page(response).xpath("//input[@name='phone']/@value") == ["call me"]
    stored = _stored(app, token)
    assert stored.name == "Ada Lovelace" and stored.answer_values["diet"] == "vegetarian"


def test_over_long_values_are_refused(client, app, token):
    response = client.post(
        f"/registration/{token}/details?lang=en",
        data=_details(organisation="x" * 201, **{"q-access": "y" * 501}),
    )
    assert response.status_code == 422
    assert field_error(response, "organisation") == "At most 200 characters, please."
    assert field_error(response, "q-access") == "At most 500 characters, please."


def test_html_and_every_script_survive_as_text(client, app, token):
    name = "王小明 👩🏽‍💻 مريم <b>bold</b>"
    response = client.post(
        f"/registration/{token}/details?lang=en",
        data=_details(name=name, **{"q-access": "<script>alert(1)</script>"}),
    )
    assert response.status_code == 303
    assert _stored(app, token).name == name
    html = client.get(f"/registration/{token}?lang=en").get_data(as_text=True)
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<script>alert(1)</script>" not in html
    page = parse_page(client.get(f"/registration/{token}/details?lang=en"))
    assert page.xpath("//input[@name='name']/@value") == [name]


def test_unknown_token_is_404(client, conference_slug):
    assert client.get("/registration/not-a-token/details").status_code == 404
    assert client.post("/registration/not-a-token/details", data=_details()).status_code == 404


@pytest.mark.parametrize("end", ["cancel", "erase"])
def test_no_editing_once_cancelled_or_erased(client, app, token, end):
    client.post(f"/registration/{token}/{end}")
    assert "/details" not in client.get(f"/registration/{token}").get_data(as_text=True)
    response = client.get(f"/registration/{token}/details")
    assert response.status_code == 303
    response = client.post(f"/registration/{token}/details", data=_details(name="Back"))
    assert response.status_code == 303
    assert _stored(app, token).name != "Back"


def test_no_editing_once_rejected(client, app, conference_slug):
    token = client.post(API, json=api_body(category="expert")).json["token"]
    with app.app_context():
        from conference.models.registration import find_by_token
        from conference.registration.lifecycle import reject

        reject(find_by_token(token))
    response = client.post(f"/registration/{token}/details", data=_details(name="Back"))
    assert response.status_code == 303
    assert _stored(app, token).name == "Ada Lovelace"


def test_a_pending_registration_may_be_edited(client, app, conference_slug):
    token = client.post(API, json=api_body(category="expert")).json["token"]
    response = client.post(f"/registration/{token}/details", data=_details())
    assert response.status_code == 303
    assert _stored(app, token).name == "Ada King"
