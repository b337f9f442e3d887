"""The organisers' dashboard, people and audit pages in a real browser (Debian's Chromium),
under the site's Content-Security-Policy: charts drawn, refreshed by themselves, readable
on a phone (390 px) and a laptop (1280 px). Screenshots go to /tmp/people-shots/."""

from __future__ import annotations

import random
import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conference.extensions import db
from conference.models import AttendeeCategory, Conference, Registration
from conference.models.base import utcnow
from tests.browser import log_in, wait_until

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/people-shots")
GATES = ["North", "South", "East hall"]


@pytest.fixture
def app_config():
    return {"SERVER_NAME": None, "WTF_CSRF_ENABLED": True, "DASHBOARD_REFRESH_SECONDS": 2}


def _crowd(app, slug: str, count: int = 120) -> list[int]:
    """``count`` registrations over three weeks, two thirds of them admitted over the last
    two hours at three gates; their ids."""
    rng = random.Random(7)
    now = utcnow()
    with app.app_context():
        conference = db.session.execute(db.select(Conference).where(Conference.slug == slug)).scalar_one()
        categories = db.session.execute(db.select(AttendeeCategory).where(
            AttendeeCategory.conference_id == conference.id)).scalars().all()
        people = []
        for number in range(count):
            person = Registration(
                conference=conference, category=rng.choice(categories), name=f"Guest {number}",
                email=f"guest{number}@example.org", status="confirmed",
                created_at=now - timedelta(days=rng.randint(0, 20), minutes=rng.randint(0, 600)))
            if number % 3:
                person.checked_in_at = now - timedelta(minutes=rng.randint(0, 120))
                person.checked_in_gate = rng.choice(GATES)
            people.append(person)
        db.session.add_all(people)
        db.session.commit()
        return [person.id for person in people]


def _open_dashboard(page, live_server, organiser, lang: str) -> None:
    log_in(page, live_server, organiser, lang=lang)
    expect(page).to_have_url(re.compile(r"/admin/registrations$"))
    page.goto(f"{live_server}/admin?lang={lang}")
    wait_until(page, "() => document.getElementById('dashboard').dataset.state === 'ready'")


@pytest.mark.parametrize("width, lang", [(390, "en"), (390, "zh"), (1280, "en"), (1280, "zh")])
def test_the_dashboard_draws_its_charts_at_phone_and_desktop_width(
        live_server, chromium, app, demo, organiser, width, lang):
    _crowd(app, demo)
    context = chromium.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        _open_dashboard(page, live_server, organiser, lang)
        assert page.locator("#dash-checked-in").inner_text() == "80"
        # Updated at a time of the conference's day (Asia/Shanghai), like the charts' labels.
        from conference.timefmt import to_local
        hours = {f"{to_local(utcnow() - timedelta(seconds=s), 'Asia/Shanghai'):%H}:" for s in (0, 60)}
        assert any(hour in page.locator("#dash-status").inner_text() for hour in hours)
        for chart in ("#chart-gates", "#chart-categories", "#chart-registrations"):
            assert page.locator(f"{chart} svg rect").count() > 3, chart
        legend = page.locator("#legend-gates").inner_text()
        assert all(gate in legend for gate in GATES)
        assert page.locator("#gauges-categories .gauge").count() >= 2
        assert page.locator("#gauges-sessions .gauge").count() >= 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # The chart fills its card: drawn for the width it has, not a fixed one.
        svg = page.locator("#chart-gates svg").bounding_box()
        card = page.locator("#chart-gates").bounding_box()
        assert svg["width"] >= card["width"] - 2
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"dashboard-{width}-{lang}.png"), full_page=True)
        assert errors == []
    finally:
        context.close()


def test_the_dashboard_refreshes_by_itself(live_server, page, app, demo, organiser):
    ids = _crowd(app, demo, 30)
    _open_dashboard(page, live_server, organiser, "en")
    before = int(page.locator("#dash-checked-in").inner_text())
    with app.app_context():
        person = db.session.get(Registration, next(i for n, i in enumerate(ids) if n % 3 == 0))
        person.checked_in_at, person.checked_in_gate = utcnow(), "North"
        db.session.commit()
    wait_until(page, "(n) => document.getElementById('dash-checked-in').textContent === String(n)", before + 1)


@pytest.mark.parametrize("path", ["/admin/people", "/admin/audit", "/admin/announcements"])
def test_people_and_audit_pages_fit_a_phone(live_server, page, app, demo, organiser, path):
    log_in(page, live_server, organiser, lang="zh")
    expect(page).to_have_url(re.compile(r"/admin/registrations$"))
    if path != "/admin/announcements":  # make a token on the page: shown once, and logged
        page.goto(live_server + "/admin/people")
        page.fill("#token-name", "CRM 同步")
        page.click("text=创建 API 令牌")
        expect(page.locator("#new-token")).to_have_text(re.compile(r"^api_"))
    page.goto(live_server + path)
    if path == "/admin/audit":
        expect(page.locator("#audit")).to_contain_text("API 令牌已创建")
    if path == "/admin/announcements":  # a preview, in both languages
        for field, text in (("subject_zh", "会场变更"), ("subject_en", "Room change"),
                            ("body_zh", "下午的论坛改在二号厅。"), ("body_en", "The forum moves to Hall 2.")):
            page.fill(f"#{field}", text)
        page.click("text=预览")
        expect(page.locator("#recipient-count")).to_be_visible()
    page.wait_for_load_state("load")  # its stylesheets too: the width is measured as shown
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{path.strip('/').replace('/', '-')}-390-zh.png"), full_page=True)


def test_a_registration_opens_from_the_list_and_is_approved_there(live_server, page, app, demo, organiser):
    from tests.admin.test_registrations_list import add_people

    add_people(app, demo, [("王小明", "合肥智能传感器产业技术研究院有限公司", "wang@example.org", "pending")])
    log_in(page, live_server, organiser, lang="zh")
    expect(page).to_have_url(re.compile(r"/admin/registrations$"))
    page.click("td.reg-name a")
    expect(page).to_have_url(re.compile(r"/admin/registrations/\d+$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("text=批准")
    expect(page.locator("#status")).to_have_text("已确认")
    expect(page.locator("#history")).to_contain_text("boss@example.org status: pending → confirmed")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "admin-registration-390-zh.png"), full_page=True)
