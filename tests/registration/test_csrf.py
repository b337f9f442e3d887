"""The registration form with CSRF protection switched on, as in production."""

from __future__ import annotations

import re

import pytest

from conference.extensions import db
from conference.models import Registration
from tests.registration.conference_data import form_data


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def _count(app) -> int:
    with app.app_context():
        return db.session.execute(db.select(db.func.count(Registration.id))).scalar_one()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_form_carries_a_csrf_token(client, conference_slug, lang):
    html = client.get(f"/register?lang={lang}").get_data(as_text=True)
    assert re.search(r'<input[^>]+name="csrf_token"[^>]+value="[^"]{20,}"', html)


def _token(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]+value="([^"]+)"', html).group(1)


def test_post_without_token_is_refused_and_the_form_comes_back_filled_in(
    client, app, conference_slug
):
    response = client.post("/register?lang=en", data=form_data())
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "expired" in html
    assert 'value="Ada Lovelace"' in html
    assert _count(app) == 0
    # The page comes with a fresh token, so sending it again works.
    response = client.post("/register?lang=en", data=form_data(csrf_token=_token(html)))
    assert response.status_code == 303
    assert _count(app) == 1


def test_post_with_a_forged_token_is_refused(client, app, conference_slug):
    client.get("/register?lang=en")
    response = client.post("/register?lang=en", data=form_data(csrf_token="forged"))
    assert response.status_code == 400
    assert _count(app) == 0


def test_post_with_the_page_token_is_accepted(client, app, conference_slug):
    html = client.get("/register?lang=en").get_data(as_text=True)
    response = client.post("/register?lang=en", data=form_data(csrf_token=_token(html)))
    assert response.status_code == 303
    assert _count(app) == 1


def test_edit_details_without_token_is_refused_and_comes_back_filled_in(
    client, app, conference_slug
):
    from tests.registration.conference_data import api_body

    token = client.post("/api/v1/registrations", json=api_body()).json["token"]
    details = {"name": "Ada King", "organisation": "Engines", "language": "en"}
    response = client.post(f"/registration/{token}/details?lang=en", data=details)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "expired" in html and 'value="Ada King"' in html
    with app.app_context():
        assert db.session.execute(db.select(Registration.name)).scalar_one() == "Ada Lovelace"
    response = client.post(
        f"/registration/{token}/details?lang=en", data={**details, "csrf_token": _token(html)}
    )
    assert response.status_code == 303
    with app.app_context():
        assert db.session.execute(db.select(Registration.name)).scalar_one() == "Ada King"
