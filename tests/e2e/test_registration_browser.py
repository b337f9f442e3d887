"""Registering in a real browser: extra questions, a limited seat that comes back on
cancelling, and details edited in any script without HTML ever being run."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conference.extensions import db
from conference.models import Registration
from tests.browser import register_on_the_form

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
    register_on_the_form(page, "Someone", "someone@example.org")

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


def _lines(page, selector: str) -> int:
    """How many lines the text of ``selector`` takes."""
    return page.evaluate(
        """selector => {
            const range = document.createRange();
            range.selectNodeContents(document.querySelector(selector));
            return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
        }""",
        selector,
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_manage_page_cards_keep_apart_and_the_badge_back_reads_as_an_action(
    live_server, page, app, lang
):
    token = _registered(app, sessions=[WORKSHOP])
    page.goto(f"{live_server}/registration/{token}?lang={lang}")
    expect(page.locator(".seat-list")).to_be_visible()

    seats = page.locator(".seats").bounding_box()
    change = page.locator(".change-sessions").bounding_box()
    assert change["y"] - (seats["y"] + seats["height"]) >= 12, (seats, change)
    for card in (".seats", ".change-sessions", ".my-data"):
        box = page.locator(card).bounding_box()
        heading = page.locator(f"{card} h2").bounding_box()
        assert heading["y"] - box["y"] <= 20, (card, box, heading)  # the card's padding only

    back = page.locator(".badge-back")
    expect(back).to_have_text(
        "Download the badge with my sessions and the Wi-Fi on the back" if lang == "en"
        else "下载背面印有场次和 Wi-Fi 的参会证"
    )
    button = page.locator(".badge a.button").bounding_box()
    assert back.bounding_box()["y"] >= button["y"] + button["height"]  # a line of its own
    assert _lines(page, ".badge-back") == (2 if lang == "en" else 1)
    scroll_width, client_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll_width <= client_width


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_register_again_from_the_cancelled_page_starts_from_my_details(
    live_server, page, app, lang
):
    page.on("dialog", lambda dialog: dialog.accept())
    token = _registered(app, phone="+86 551 1234")
    page.goto(f"{live_server}/registration/{token}?lang={lang}")
    page.click("form.cancel-form button[type=submit]")
    expect(page.locator(".status")).to_contain_text("Cancelled" if lang == "en" else "已取消")

    again = page.locator(".badge a.button")
    expect(again).to_have_text("Register again" if lang == "en" else "重新报名")
    sentence = page.locator(".badge p", has_text="e-mail address" if lang == "en" else "电子邮箱")
    said = sentence.bounding_box()
    box = again.bounding_box()
    assert box["y"] >= said["y"] + said["height"]  # below the sentence, not inside it
    assert box["height"] < 60  # on one line
    again.click()

    expect(page.locator("#name")).to_have_value("Ada Lovelace-Byron")
    expect(page.locator("#email")).to_have_value("ada@example.org")
    expect(page.locator("#organisation")).to_have_value(
        "Analytical Engines and Difference Machines Ltd")
    expect(page.locator("#job_title")).to_have_value("Programmer")
    expect(page.locator("#phone")).to_have_value("+86 551 1234")
    expect(page.locator("#category")).to_have_value("delegate")
    expect(page.locator("#consent")).not_to_be_checked()
    page.check("#consent")
    page.click("form.register-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/registration/[A-Za-z0-9_-]{20,}$"))
    assert token not in page.url
    expect(page.locator(".status")).to_contain_text("Confirmed" if lang == "en" else "已确认")
