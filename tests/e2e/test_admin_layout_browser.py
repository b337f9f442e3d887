"""The organiser's pages in a real browser: readable on a phone in both languages without
scrolling sideways, and a header that keeps to one row on a laptop."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conference.auth.service import issue_device_token
from tests.admin.test_registrations_list import add_people
from tests.browser import log_in

pytestmark = pytest.mark.browser

LONG_PEOPLE = [
    ("Anna-Katharina Schmidt-Lindqvist", "Fraunhofer Institute for Microelectronic Circuits and Systems",
     "anna-katharina.schmidt-lindqvist@ims.fraunhofer.example.de", "pending"),
    ("王小明", "合肥智能传感器产业技术研究院有限公司", "wang.xiaoming@example.org", "pending"),
    ("李华", "中国科学技术大学", "lihua@ustc.example.cn", "waitlisted"),
    ("John O'Brien", "Acme Sensors Ltd", "john@acme.example", "confirmed"),
]
PAGES = ["/admin/registrations?status=all", "/admin/registrations?status=pending",
         "/admin/checkin", "/admin/badges"]


def log_in_organiser(page, live_server, organiser, lang: str) -> None:
    log_in(page, live_server, organiser, lang=lang)
    expect(page).to_have_url(re.compile(r"/admin/registrations$"))  # an organiser's start page
    page.wait_for_load_state()  # its style sheets too, before anything is measured


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_organiser_pages_fit_a_phone(live_server, page, app, demo, organiser, lang):
    add_people(app, demo, LONG_PEOPLE)
    with app.app_context():
        issue_device_token("Gate A phone (Android, front desk by the north entrance)")
    log_in_organiser(page, live_server, organiser, lang)

    for path in PAGES:
        page.goto(live_server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert (path, width) <= (path, 390)

    # Each registration reads as a block: a Chinese name is not squeezed one character a line.
    page.goto(live_server + "/admin/registrations?status=all")
    name = page.locator("td.reg-name", has_text="王小明")
    line = float(page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight)"))
    assert name.bounding_box()["height"] < 1.5 * line
    approve = page.locator("tr", has=name).get_by_role("button", name=re.compile("Approve|批准"))
    expect(approve).to_be_visible()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_header_keeps_to_one_row_on_a_laptop(live_server, chromium, app, demo, organiser,
                                                 lang):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    try:
        log_in_organiser(page, live_server, organiser, lang)
        rows = page.evaluate("""() => {
          const header = document.querySelector('.site-header');
          const tops = [...header.children].map(child => Math.round(child.getBoundingClientRect().top));
          const brand = document.querySelector('.brand');
          return {tops, brand: brand.getBoundingClientRect().height,
                  line: parseFloat(getComputedStyle(brand).lineHeight)}
        }""")
        assert max(rows["tops"]) - min(rows["tops"]) < 12, rows  # one row: the same top, give or take
        assert rows["brand"] < 1.5 * rows["line"], rows  # the site's name on one line
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280

        # The organiser's pages are in one menu in the header.
        menu = page.locator(".staff-menu summary")
        menu.click()
        page.locator(".staff-menu").get_by_role("link", name=re.compile("Print badges|打印胸卡")).click()
        expect(page).to_have_url(re.compile(r"/admin/badges$"))
        menu.click()
        page.keyboard.press("Escape")
        expect(page.locator(".staff-menu-list")).to_be_hidden()
    finally:
        context.close()


def test_the_staff_menu_opens_in_place_on_a_phone(live_server, page, app, demo, organiser):
    log_in_organiser(page, live_server, organiser, "en")
    page.locator(".staff-menu summary").click()
    logout = page.get_by_role("button", name="Log out")
    expect(logout).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    logout.click()
    expect(page).to_have_url(re.compile(r"/login$"))
