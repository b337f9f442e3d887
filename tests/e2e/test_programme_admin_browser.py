"""An organiser edits the programme in a real browser while people hold seats: adds a
room, a speaker with a photo and a session, moves it (meeting a clash on the way), cancels
a session people hold, and sees all of it on the agenda, in the schedule and the PDF."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image
from playwright.sync_api import expect

from conference.extensions import db
from conference.models import OutboxMessage
from tests.badges.pdf_checks import pdf_text, squeezed
from tests.browser import log_in
from tests.programme.editing_data import WORKSHOP, conference, hold_seats, session

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/office-shots"))


def _shot(page, name: str) -> None:
    """A full-page screenshot. Taken between filling a field and clicking a button, the
    click does not submit the form in Chromium: take it before the last field is filled."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _photo(tmp_path: Path) -> Path:
    path = tmp_path / "portrait.png"
    image = Image.new("RGB", (400, 400), (240, 200, 160))
    for x in range(120, 280):
        for y in range(100, 300):
            image.putpixel((x, y), (60, 90, 150))
    image.save(path)
    return path


def _save(page) -> None:
    page.click("form.programme-form button[type=submit]")


def test_an_organiser_edits_the_programme_people_hold_seats_in(live_server, chromium, app,
                                                              demo, organiser, tmp_path):
    with app.app_context():
        hold_seats(conference(demo), WORKSHOP, [("ann@example.org", "en"),
                                                ("bo@example.org", "zh")])
        workshop_id = session(WORKSHOP).id
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    log_in(page, live_server, organiser, next_path="/admin/programme")
    expect(page).to_have_url(re.compile(r"/admin/programme$"))
    _shot(page, "01-agenda-and-clashes")

    # A room.
    page.goto(f"{live_server}/admin/programme/rooms/new")
    page.fill("#name_zh", "贵宾厅")
    page.fill("#name_en", "VIP Hall")
    page.fill("#location_en", "3rd floor")
    page.fill("#capacity", "50")
    _save(page)
    expect(page.locator("table.programme-list")).to_contain_text("VIP Hall")

    # A speaker with a photo.
    page.goto(f"{live_server}/admin/programme/speakers/new")
    page.fill("#name_zh", "林晓")
    page.fill("#name_en", "Lin Xiao")
    page.fill("#organisation_en", "Sensor Lab")
    page.set_input_files("#photo", str(_photo(tmp_path)))
    _save(page)
    expect(page.locator("table.programme-list")).to_contain_text("Lin Xiao")

    # A session in the new room with the new speaker.
    page.goto(f"{live_server}/admin/programme/sessions/new")
    page.fill("#title_en", "Sensing in the wild")
    page.fill("#title_zh", "野外传感")
    page.select_option("#kind", "talk")
    page.fill("#starts_at", "2024-09-19T16:00")
    page.fill("#ends_at", "2024-09-19T16:45")
    page.select_option("#room_id", label="VIP Hall")
    page.get_by_label("Lin Xiao").check()
    _shot(page, "02-new-session-form")
    page.fill("#capacity", "40")
    _save(page)
    expect(page.locator("table.programme-list")).to_contain_text("Sensing in the wild")

    # Moving it into the workshop room while the workshop runs: refused, naming it.
    page.get_by_role("link", name="Sensing in the wild").click()
    page.fill("#starts_at", "2024-09-19T14:00")
    page.fill("#ends_at", "2024-09-19T14:45")
    page.select_option("#room_id", label="Workshop Room")
    _save(page)
    expect(page.locator(".clash-list")).to_contain_text("MEMS")
    _shot(page, "03-clash-refused")
    # Moved to the evening instead, in its own room.
    page.fill("#starts_at", "2024-09-19T17:30")
    page.fill("#ends_at", "2024-09-19T18:15")
    page.select_option("#room_id", label="VIP Hall")
    _save(page)
    expect(page.locator(".flash").first).to_contain_text("Saved.")

    # Cancelling the workshop two people hold.
    page.goto(f"{live_server}/admin/programme/sessions/{workshop_id}")
    page.click("button:has-text('Cancel this session')")
    expect(page.locator("main")).to_contain_text("2 e-mails queued")
    _shot(page, "04-session-cancelled")

    # What everyone sees.
    page.goto(f"{live_server}/agenda?lang=en")
    card = page.locator("article.session-card", has_text="Sensing in the wild")
    expect(card).to_contain_text("17:30")
    expect(card).to_contain_text("VIP Hall")
    cancelled = page.locator("article.session-card.is-cancelled")
    expect(cancelled).to_contain_text("Cancelled")
    expect(cancelled).to_contain_text("MEMS")
    _shot(page, "05-public-agenda-en")
    page.goto(f"{live_server}/agenda?lang=zh")
    expect(page.locator("article.session-card.is-cancelled")).to_contain_text("已取消")
    _shot(page, "06-public-agenda-zh")
    page.goto(f"{live_server}/speakers/lin-xiao?lang=en")
    expect(page.locator("img.speaker-photo")).to_be_visible()
    _shot(page, "07-speaker-with-photo")

    schedule = page.request.get(f"{live_server}/schedule.xml")
    assert schedule.ok
    root = etree.fromstring(schedule.body())
    titles = [event.findtext("title") for event in root.iter("event")]
    assert "Sensing in the wild" in titles
    pdf = page.request.get(f"{live_server}/programme.pdf?lang=en").body()
    text = squeezed(pdf_text(pdf))
    assert squeezed("Sensing in the wild") in text and squeezed("Lin Xiao") in text
    (SHOTS / "programme.pdf").write_bytes(pdf)
    context.close()

    with app.app_context():
        told = db.session.execute(db.select(OutboxMessage.recipient, OutboxMessage.subject)
                                  .where(OutboxMessage.kind == "session_cancelled")).all()
        assert {recipient for recipient, _ in told} == {"ann@example.org", "bo@example.org"}
        subjects = dict(told)
        assert "取消" in subjects["bo@example.org"]
        assert "cancelled" in subjects["ann@example.org"]


PROGRAMME_PAGES = ["/admin/programme", "/admin/programme/sessions",
                   "/admin/programme/sessions/new", "/admin/programme/speakers",
                   "/admin/programme/categories/new", "/admin/conference"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_programme_pages_fit_a_phone(live_server, page, app, demo, organiser, lang):
    log_in(page, live_server, organiser, lang=lang)
    expect(page).to_have_url(re.compile(r"/admin/registrations$"))
    for path in PROGRAMME_PAGES:
        page.goto(f"{live_server}{path}?lang={lang}")
        page.wait_for_load_state()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert (path, width) <= (path, 390)
    _shot(page, f"08-settings-phone-{lang}")
    page.goto(f"{live_server}/admin/programme/sessions/new?lang={lang}")
    _shot(page, f"09-session-form-phone-{lang}")
