"""The registration form with CSRF protection switched on, as in production."""

from __future__ import annotations

import re

import pytest

from conference.extensions import db
from conference.models import Registration
from conference.registration.lookups import wait_for_link_requests
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



def _language_switch(response) -> dict[str, str]:
    """The language switch's links on a page: language → address."""
    from tests.registration.pages import parse_page

    return {
        link.get("lang"): link.get("href")
        for link in parse_page(response).xpath("//nav[@class='lang-switch']/a")
    }


def test_the_register_page_mails_the_link_again_with_its_own_token(client, app, conference_slug):
    from conference.models import OutboxMessage

    html = client.get("/register?lang=en").get_data(as_text=True)
    client.post("/register?lang=en", data=form_data(csrf_token=_token(html)))
    html = client.get("/register?lang=en").get_data(as_text=True)
    response = client.post(
        "/register/resend-link?lang=en",
        data={"email": "ada@example.org", "csrf_token": _token(html)},
    )
    assert response.status_code == 200
    assert "Check your e-mail" in response.get_data(as_text=True)
    wait_for_link_requests()
    with app.app_context():
        kinds = db.session.execute(db.select(OutboxMessage.kind)).scalars().all()
    assert kinds == ["confirmed", "manage_link"]


def test_the_language_switch_on_pages_at_form_addresses_never_answers_405(
    client, app, conference_slug
):
    """A page shown at an address that takes forms (the answer to "send my link again", a
    refused cancel, erase or change of sessions) switches language by a GET of that
    address, which leads to the page the form came from."""
    from tests.registration.conference_data import api_body

    token = client.post("/api/v1/registrations", json=api_body()).json["token"]
    html = client.get("/register?lang=en").get_data(as_text=True)
    manage = f"/registration/{token}"
    shown = [
        ("/register", client.post(
            "/register/resend-link?lang=en",
            data={"email": "ada@example.org", "csrf_token": _token(html)},
        )),
        (manage, client.post(f"{manage}/cancel?lang=en")),  # no CSRF token: refused
        (manage, client.post(f"{manage}/erase?lang=en")),
        (manage, client.post(f"{manage}/sessions?lang=en", data={"sessions": ["forum"]})),
    ]
    for landing, page in shown:
        assert page.status_code in (200, 400), (landing, page.status_code)
        switch = _language_switch(page)
        assert set(switch) == {"zh-Hans", "en"}
        for lang, href in switch.items():
            answer = client.get(href)
            assert answer.status_code == 303, (href, answer.status_code)
            code = "zh" if lang == "zh-Hans" else "en"
            assert answer.headers["Location"] == f"{landing}?lang={code}"
            landed = client.get(answer.headers["Location"])
            assert landed.status_code == 200
            assert ("报名" if code == "zh" else "Register") in landed.get_data(as_text=True)
    with app.app_context():  # the refused forms changed nothing
        assert db.session.execute(db.select(Registration.status)).scalar_one() == "confirmed"
