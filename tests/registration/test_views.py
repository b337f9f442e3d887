"""The registration form at /register and the manage page at /registration/<token>."""

from __future__ import annotations

from pathlib import Path

import pytest

from conference.badges.tokens import verify_code
from conference.extensions import db
from conference.models import AttendeeCategory, Registration
from tests.registration.conference_data import form_data
from tests.registration.pages import field_error, parse_page


def _rows(app) -> list[Registration]:
    with app.app_context():
        return list(db.session.execute(db.select(Registration)).scalars())




def _register(client, **changes):
    return client.post("/register?lang=en", data=form_data(**changes))


def test_form_in_english_offers_public_categories_and_explains_consent(client, conference_slug):
    response = client.get("/register?lang=en")
    assert response.status_code == 200
    page = parse_page(response)
    assert page.get("lang") == "en"
    labels = [label.text_content().strip() for label in page.xpath("//form//label")]
    for label in ("Name", "E-mail", "Organisation", "Category"):
        assert label in labels
    options = [o.text_content() for o in page.xpath("//select[@name='category']/option")]
    assert "Delegate" in options
    assert "Invited expert (needs approval)" in options
    assert "Student" in options
    assert "Crew" not in options  # not a public category
    consent = page.xpath("//fieldset[contains(@class, 'consent')]")[0].text_content()
    assert "PIPL" in consent and "GDPR" in consent
    assert page.xpath("//input[@type='checkbox' and @name='consent']")
    assert page.xpath("//input[@name='website']")  # the honeypot is in the form
    assert 'name="viewport"' in response.get_data(as_text=True)


def test_form_in_chinese_names_categories_in_chinese(client, conference_slug):
    response = client.get("/register?lang=zh")
    assert response.status_code == 200
    page = parse_page(response)
    assert page.get("lang") == "zh-Hans"
    options = [o.text_content() for o in page.xpath("//select[@name='category']/option")]
    assert "参会代表" in options
    assert "学生" in options
    assert "工作人员" not in options


def test_valid_registration_redirects_to_its_managepage(client, app, conference_slug):
    response = _register(client)
    assert response.status_code == 303
    [registration] = _rows(app)
    assert registration.status == "confirmed"
    assert registration.email == "ada@example.org"
    assert registration.phone == "+86 551-1234 5678"
    assert response.headers["Location"].endswith(f"/registration/{registration.token}")

    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Ada Lovelace" in html
    assert "Analytical Engines Ltd" in html
    assert "Confirmed" in html
    assert "<svg" in html


def test_manage_page_prints_a_badge_code_that_verifies(client, app, conference_slug):
    location = _register(client).headers["Location"]
    page = parse_page(client.get(location))
    code = page.xpath("//p[contains(@class, 'badge-code')]/code")[0].text_content()
    [registration] = _rows(app)
    with app.app_context():
        assert verify_code(code).public_id == registration.public_id
    link = page.xpath("//a[contains(., 'Download badge (PDF)')]")[0]
    assert link.get("href") == f"/registration/{registration.token}/badge.pdf"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Please enter your name."),
        ({"email": "ada-at-example.org"}, "email", "Please enter a valid e-mail address"),
        ({"consent": None}, "consent", "Please agree to how your details are used"),
        ({"category": "vip"}, "category", "Please choose one of the categories offered."),
        ({"category": "crew"}, "category", "Please choose one of the categories offered."),
        ({"name": "A" * 121}, "name", "At most 120 characters"),
        ({"organisation": ""}, "organisation", "Please enter your organisation."),
        ({"phone": "ring me"}, "phone", "only digits, +, - and spaces"),
    ],
)
def test_each_invalid_field_gets_its_message(client, app, conference_slug, changes, field, message):
    response = _register(client, **changes)
    assert response.status_code == 422
    assert message in field_error(response, field)
    page = parse_page(response)
    if field != "consent":
        assert page.xpath(f"//*[@name='{field}']")[0].get("aria-invalid") == "true"
    assert page.xpath("//*[@role='alert']")
    assert _rows(app) == []
    # What was typed is kept so it need not be typed again.
    if field != "organisation":
        assert (
            page.xpath("//input[@name='organisation']")[0].get("value") == "Analytical Engines Ltd"
        )


def test_filled_honeypot_is_rejected(client, app, conference_slug):
    response = _register(client, website="http://spam.example")
    assert response.status_code == 400
    assert "could not be accepted" in response.get_data(as_text=True)
    assert _rows(app) == []


def test_duplicate_email_is_refused_without_revealing_the_first_registration(
    client, app, conference_slug
):
    first = _register(client)
    token = first.headers["Location"].rsplit("/", 1)[1]
    response = _register(client, name="Mallory", email=" ADA@example.ORG ", organisation="Other")
    assert response.status_code == 409
    assert "already registered" in field_error(response, "email")
    html = response.get_data(as_text=True)
    assert token not in html
    assert "Ada Lovelace" not in html
    assert "Analytical Engines" not in html
    assert len(_rows(app)) == 1


def test_full_category_puts_the_next_person_on_the_waiting_list(client, app, conference_slug):
    assert _register(client, category="student").status_code == 303
    response = _register(client, email="second@example.org", category="student")
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "On the waiting list" in html
    assert [r.status for r in _rows(app)] == ["confirmed", "waitlisted"]


def test_category_needing_approval_is_pending_without_a_qr_code(client, app, conference_slug):
    location = _register(client, category="expert").headers["Location"]
    [registration] = _rows(app)
    assert registration.status == "pending"
    html = client.get(location).get_data(as_text=True)
    assert "Pending approval" in html
    assert "approved" in html
    assert "<svg" not in html
    assert "badge.pdf" not in html


def test_markup_in_a_name_is_shown_as_text(client, conference_slug):
    location = _register(client, name="<script>alert(1)</script>").headers["Location"]
    html = client.get(location).get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("name", ["王小明", "Grace 👩🏽‍💻", "مريم الأحمد", "\u200fשרה כהן"])
def test_names_in_any_script_round_trip(client, app, conference_slug, name):
    location = _register(client, name=name).headers["Location"]
    [registration] = _rows(app)
    assert registration.name == name
    page = parse_page(client.get(location))
    assert page.xpath("//*[contains(@class, 'attendee-name')]")[0].text_content().strip() == name


def test_unknown_token_is_not_found(client, conference_slug):
    assert client.get("/registration/no-such-token").status_code == 404
    assert client.get("/registration/" + "x" * 500).status_code == 404


def test_manage_page_is_neither_cached_nor_leaked_as_referrer(client, conference_slug):
    location = _register(client).headers["Location"]
    for url in (location, "/registration/no-such-token"):
        response = client.get(url)
        assert "no-store" in response.headers["Cache-Control"]
        assert "private" in response.headers["Cache-Control"]
        assert response.headers["Referrer-Policy"] == "no-referrer"


def test_a_registrations_own_pages_ask_search_engines_not_to_index_them(client, conference_slug):
    location = _register(client).headers["Location"]
    for url in (location, location + "/details"):
        page = parse_page(client.get(url))
        assert page.xpath("//meta[@name='robots']/@content") == ["noindex"], url
        assert page.xpath("//body[contains(@class, 'registration')]"), url


def test_manage_page_speaks_the_chosen_language(client, conference_slug):
    location = _register(client).headers["Location"]
    page = parse_page(client.get(location + "?lang=zh"))
    assert page.get("lang") == "zh-Hans"
    assert "参会代表" in page.text_content()


CATALOGUE = (
    Path(__file__).resolve().parents[2] / "conference/translations/zh/LC_MESSAGES/messages.mo"
)


def test_form_and_its_messages_in_chinese(client, app, conference_slug):
    assert CATALOGUE.exists(), "compile the catalogue first: make translations"
    html = client.get("/register?lang=zh").get_data(as_text=True)
    assert "个人信息保护法" in html
    response = client.post("/register?lang=zh", data=form_data(name="", consent=None))
    assert "请填写姓名" in field_error(response, "name")
    assert "请同意" in field_error(response, "consent")


def test_registration_remembers_the_language_it_was_made_in(client, app, conference_slug):
    client.get("/register?lang=zh")
    client.post("/register", data=form_data())
    [registration] = _rows(app)
    assert registration.language == "zh"


def test_demo_conference_offers_exactly_its_public_categories(client, app, demo):
    with app.app_context():
        categories = list(db.session.execute(db.select(AttendeeCategory)).scalars())
        offered = {c.code for c in categories if c.public}
        hidden = {c.code for c in categories if not c.public}
    page = parse_page(client.get("/register?lang=en"))
    values = {o.get("value") for o in page.xpath("//select[@name='category']/option")} - {""}
    assert values == offered
    assert not values & hidden
