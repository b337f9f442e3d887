"""Registering in a real browser: extra questions, a limited seat that comes back on
cancelling, and details edited in any script without HTML ever being run."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conference.extensions import db
from conference.models import Registration

pytestmark = pytest.mark.browser

WORKSHOP = "workshop-mems-calibration"  # 30 seats in the demo


def _seats_tag(page, base: str):
    page.goto(f"{base}/sessions/{WORKSHOP}?lang=en")
    return page.locator(".tag-seats").first


def test_register_with_questions_and_a_seat_then_cancel_gives_the_seat_back(live_server, page, app):
    alerts: list[str] = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.accept()))

    expect(_seats_tag(page, live_server)).to_have_text("30 seats")

    page.goto(f"{live_server}/register?lang=en")
    page.fill("#name", "Ada Lovelace")
    page.fill("#email", "ada@example.org")
    page.fill("#organisation", "Analytical Engines")
    page.select_option("#category", "delegate")
    expect(page.get_by_text("Dietary needs")).to_be_visible()
    page.select_option("#q-dietary", "vegetarian")
    page.check("input[name='q-interests'][value='new-energy']")
    page.check("input[name='q-interests'][value='optoelectronics']")
    page.fill("#q-accessibility", "Step-free access, please")
    page.check("#q-news")
    page.check(f"input[name='sessions'][value='{WORKSHOP}']")
    page.check("#consent")
    page.click("form.register-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/registration/[A-Za-z0-9_-]{20,}$"))
    manage_url = page.url
    attendee = page.locator(".attendee")
    expect(attendee).to_contain_text("Vegetarian")
    expect(attendee).to_contain_text("Optoelectronics and Instrumentation; New Energy")
    expect(attendee).to_contain_text("Step-free access, please")
    expect(page.locator(".seat-list")).to_contain_text("Seat confirmed")

    with app.app_context():
        registration = db.session.execute(db.select(Registration)).scalar_one()
        assert registration.source == "web"
        assert {a.question.code: a.value for a in registration.answers} == {
            "dietary": "vegetarian",
            "interests": ["optoelectronics", "new-energy"],
            "accessibility": "Step-free access, please",
            "news": True,
        }

    expect(_seats_tag(page, live_server)).to_have_text("30 seats · 29 left")

    page.goto(manage_url)
    page.click("form.cancel-form button[type=submit]")  # confirms in a dialog
    expect(page.locator(".status")).to_contain_text("Cancelled")
    assert alerts and "Cancel your registration?" in alerts[0]

    expect(_seats_tag(page, live_server)).to_have_text("30 seats")


def test_edit_details_round_trips_every_script_and_shows_html_as_text(live_server, page, app):
    alerts: list[str] = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    page.goto(f"{live_server}/register?lang=en")
    page.fill("#name", "Someone")
    page.fill("#email", "someone@example.org")
    page.fill("#organisation", "Lab")
    page.select_option("#category", "delegate")
    page.check("#consent")
    page.click("form.register-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/registration/[A-Za-z0-9_-]{20,}$"))

    name = "王小明 👩🏽‍💻 مريم <b>bold</b>"
    organisation = "שלום & <img src=x onerror=alert(1)>"
    needs = "<script>alert('x')</script> 轮椅 ♿"
    page.click("text=Edit my details")
    expect(page.locator("#email-shown")).to_have_value("someone@example.org")
    expect(page.locator("#email-shown")).to_have_attribute("readonly", "")
    page.fill("#name", name)
    page.fill("#organisation", organisation)
    page.fill("#q-accessibility", needs)
    page.select_option("#q-dietary", "halal")
    page.click("form.details-form button[type=submit]")

    expect(page.locator(".flash")).to_contain_text("Your details have been saved.")
    expect(page.locator(".attendee-name")).to_have_text(name)
    expect(page.locator(".attendee")).to_contain_text(organisation)
    expect(page.locator(".attendee")).to_contain_text(needs)
    expect(page.locator(".attendee")).to_contain_text("Halal")
    assert page.locator(".attendee b, .attendee img, .attendee script").count() == 0

    # The form shows the stored text unchanged, ready for the next edit.
    page.click("text=Edit my details")
    expect(page.locator("#name")).to_have_value(name)
    expect(page.locator("#organisation")).to_have_value(organisation)
    expect(page.locator("#q-accessibility")).to_have_value(needs)
    assert alerts == []

    with app.app_context():
        registration = db.session.execute(db.select(Registration)).scalar_one()
        assert (registration.name, registration.organisation) == (name, organisation)
        assert registration.email == "someone@example.org"


def _registered(app, **changes) -> str:
    """The manage token of a delegate registered through the API, with ``changes``."""
    body = {
        "name": "Ada Lovelace-Byron",
        "email": "ada@example.org",
        "organisation": "Analytical Engines and Difference Machines Ltd",
        "job_title": "Programmer",
        "category": "delegate",
        "consent": True,
        **changes,
    }
    response = app.test_client().post("/api/v1/registrations", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["token"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_manage_page_fits_a_phone_with_a_long_question_answered(live_server, page, app, lang):
    token = _registered(app, answers={
        "news": True, "dietary": "vegetarian", "interests": ["optoelectronics", "new-energy"],
    })

    for width in (390, 320):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(f"{live_server}/registration/{token}?lang={lang}")
        expect(page.locator(".attendee")).to_contain_text(
            "I'd like to receive news of next year's conference" if lang == "en"
            else "我愿意接收明年大会的消息")
        scroll_width, client_width = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll_width <= client_width, (width, scroll_width)
        for value in (".attendee-name", ".attendee dd:nth-of-type(2)"):
            box = page.locator(value).bounding_box()
            assert box["width"] >= 0.4 * width, (width, value, box)


BOTH_AT_1330 = ("forum-new-energy-sensing", "workshop-mems-calibration")


def test_overlapping_session_change_keeps_the_ticks_and_shows_why_in_view(live_server, page, app):
    token = _registered(app)
    page.goto(f"{live_server}/registration/{token}?lang=en")
    for slug in BOTH_AT_1330:
        page.check(f"#pick-{slug}")
    page.click("form.change-sessions button[type=submit]")

    error = page.locator("#sessions-error")
    expect(error).to_have_attribute("role", "alert")
    expect(error).to_contain_text("take place at the same time")
    expect(error).to_be_in_viewport()
    expect(error).to_be_focused()
    for slug in BOTH_AT_1330:
        expect(page.locator(f"#pick-{slug}")).to_be_checked()
    # The reason comes before the choices it is about.
    first_pick = page.locator("form.change-sessions input[type=checkbox]").first
    assert error.bounding_box()["y"] < first_pick.bounding_box()["y"]
