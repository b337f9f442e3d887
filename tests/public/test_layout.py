"""The pages in a real browser: nothing scrolls sideways on a phone, and parallel sessions
stand side by side on a wide screen."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import app_config  # noqa: F401

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PAGES = ["/", "/agenda", "/agenda?track=new-energy", "/sessions/forum-new-energy-sensing",
         "/rooms/forum-b", "/speakers", "/speakers/he-yun", "/exhibitors",
         "/exhibitors/huachuang-hongdu"]


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_no_page_scrolls_sideways_on_a_phone(browser_page, live_server):
    for lang in ("zh", "en"):
        for path in PAGES:
            sep = "&" if "?" in path else "?"
            browser_page.goto(f"{live_server}{path}{sep}lang={lang}")
            width = browser_page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{path} in {lang} is {width}px wide"


def _box(page, slug: str) -> dict:
    card = page.locator(f"article.session-card:has(a[href='/sessions/{slug}'])")
    return card.bounding_box()


def test_parallel_sessions_stack_on_a_phone_and_stand_side_by_side_when_wide(
    browser_page, live_server
):
    browser_page.goto(f"{live_server}/agenda?lang=en")
    forum, workshop = _box(browser_page, "forum-new-energy-sensing"), _box(
        browser_page, "workshop-mems-calibration")
    assert workshop["y"] > forum["y"] + forum["height"] - 1
    assert workshop["x"] == forum["x"]

    browser_page.set_viewport_size(DESKTOP)
    forum, workshop = _box(browser_page, "forum-new-energy-sensing"), _box(
        browser_page, "workshop-mems-calibration")
    assert workshop["y"] == forum["y"]
    assert workshop["x"] > forum["x"] + forum["width"] - 1
    # The 90-minute forum is as tall as the two talks beside it in Forum Room A.
    first, second = _box(browser_page, "talk-photodetector-production"), _box(
        browser_page, "talk-terahertz-screening")
    assert abs(forum["y"] + forum["height"] - (second["y"] + second["height"])) < 2
    assert first["y"] == forum["y"]
