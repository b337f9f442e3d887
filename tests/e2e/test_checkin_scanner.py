"""The door scanner in a real browser: wedge scans, undo, exit and re-entry."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from conference.badges.tokens import issue_code
from conference.extensions import db
from conference.models import Conference, Registration, Scan
from tests.browser import log_in, wait_until

pytestmark = pytest.mark.browser


def make_badge(app, demo, name="陈静", organisation="USTC Microsystems") -> tuple[int, str]:
    with app.app_context():
        conference = db.session.execute(db.select(Conference).where(Conference.slug == demo)).scalar_one()
        person = Registration(conference=conference, category=conference.categories[0], name=name,
                              email=f"{uuid.uuid4().hex[:10]}@example.org", organisation=organisation)
        db.session.add(person)
        db.session.commit()
        return person.id, issue_code(person)


def open_scanner(page, live_server, staff, *, wait_for_scripts: bool = True):
    log_in(page, live_server, staff)
    expect(page).to_have_url(re.compile(r"/checkin$"))
    expect(page.locator("#scan-code")).to_be_focused()
    if wait_for_scripts:
        expect(page.locator("body")).to_have_attribute("data-scanner-ready", "true")


def wedge_scan(page, code):
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def test_wedge_scan_green_then_amber_and_undo_frees_the_badge(live_server, page, app, demo, staff):
    registration_id, code = make_badge(app, demo)
    open_scanner(page, live_server, staff)
    page.fill("#scan-gate", "North")
    page.locator("#scan-code").focus()
    result = page.locator("#scan-result")

    wedge_scan(page, code)
    expect(result).to_have_class(re.compile(r"\bresult-ok\b"))
    expect(result).to_contain_text("陈静")
    expect(page.locator("#scan-undo")).to_be_enabled()
    wedge_scan(page, code)
    expect(result).to_have_class(re.compile(r"\bresult-warn\b"))
    expect(result).to_contain_text("North")

    # The amber scan let nobody in: there is nothing to undo, and no button suggests
    # that the admission on record could be taken back from here.
    expect(page.locator("#scan-undo")).to_be_disabled()
    wedge_scan(page, "not a badge")
    expect(result).to_have_class(re.compile(r"\bresult-bad\b"))
    expect(page.locator("#scan-undo")).to_be_disabled()
    with app.app_context():
        assert db.session.get(Registration, registration_id).checked_in_at is not None

    # Exit, then back in: green again.
    page.check("input[name=scan-kind][value=exit]")
    wedge_scan(page, code)
    expect(result).to_contain_text("Exit recorded")
    page.check("input[name=scan-kind][value=entry]")
    wedge_scan(page, code)
    expect(result).to_contain_text("Admitted")
    page.click("#scan-undo")  # the re-entry was a mistake
    expect(result).to_contain_text("Scan undone")

    with app.app_context():
        rows = db.session.execute(db.select(Scan).order_by(Scan.id)).scalars().all()
        assert [(r.kind, r.result, r.annulled_at is not None) for r in rows] == [
            ("entry", "ok", False),
            ("entry", "already_checked_in", False),
            ("entry", "invalid", False),
            ("exit", "ok", False),
            ("entry", "ok", True),
        ]


def test_undo_of_a_first_admission_lets_the_badge_in_again(live_server, page, app, demo, staff):
    registration_id, code = make_badge(app, demo)
    open_scanner(page, live_server, staff)
    result = page.locator("#scan-result")
    wedge_scan(page, code)
    expect(result).to_have_class(re.compile(r"\bresult-ok\b"))
    page.click("#scan-undo")
    expect(result).to_contain_text("Scan undone")
    with app.app_context():
        assert db.session.get(Registration, registration_id).checked_in_at is None
    expect(page.locator("#scan-code")).to_be_focused()
    wedge_scan(page, code)
    expect(result).to_have_class(re.compile(r"\bresult-ok\b"))


def test_lost_badge_search_checks_in_by_hand_and_counters_follow(live_server, page, app, demo, staff):
    make_badge(app, demo, name="Hu Yifan", organisation="Hefei Tianhe Sensors")
    open_scanner(page, live_server, staff)
    expect(page.locator("#count-in")).to_have_text("0")
    page.click("#lost-badge summary")
    page.fill("#lost-query", "H")
    expect(page.locator("#lost-results li")).to_have_count(0)
    expect(page.locator("#lost-hint")).to_contain_text("at least two")
    page.fill("#lost-query", "tianhe")
    row = page.locator("#lost-results li", has_text="Hu Yifan")
    expect(row).to_have_count(1)
    row.get_by_role("button", name="Check in").click()
    result = page.locator("#scan-result")
    expect(result).to_have_class(re.compile(r"\bresult-ok\b"))
    expect(result).to_contain_text("Hu Yifan")
    expect(page.locator("#count-in")).to_have_text("1")
    expect(page.locator("#count-recent")).to_have_text("1")
    expect(row).to_contain_text("Checked in")

    # The next person's badge is scanned straight away, without a click: the desk gave
    # the focus back to the code field.
    expect(page.locator("#scan-code")).to_be_focused()
    _, code = make_badge(app, demo, name="Next In Queue")
    wedge_scan(page, code)
    expect(result).to_contain_text("Next In Queue")
    expect(result).to_have_class(re.compile(r"\bresult-ok\b"))


def test_a_scan_reaches_the_code_field_wherever_the_focus_was_left(live_server, page, app, demo, staff):
    open_scanner(page, live_server, staff)
    result = page.locator("#scan-result")
    # On a button (the camera switch), a link, and the page itself: the scanner's
    # characters and its Enter go to the code field, and press nothing on the way.
    for name, place_focus in [
        ("On Button", lambda: page.locator("#camera-toggle").focus()),
        ("On Summary", lambda: page.locator("#lost-badge summary").focus()),
        ("On Page", lambda: page.evaluate("document.activeElement.blur()")),
    ]:
        _, code = make_badge(app, demo, name=name)
        place_focus()
        wedge_scan(page, code)
        expect(result).to_contain_text(name)
        expect(result).to_have_class(re.compile(r"\bresult-ok\b"))
    expect(page.locator("#camera-toggle")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#lost-badge")).not_to_have_attribute("open", "")
    # A text field of the desk keeps what is typed into it.
    page.click("#lost-badge summary")
    page.locator("#lost-query").focus()
    page.keyboard.type("Hu")
    expect(page.locator("#lost-query")).to_have_value("Hu")


def test_room_door_list_answers_room_full(live_server, page, app, demo, staff):
    from conference.models import Session

    with app.app_context():
        session = db.session.execute(db.select(Session).order_by(Session.id)).scalars().first()
        session.room.capacity = 1
        db.session.commit()
        session_id = session.id
    _, first = make_badge(app, demo, name="Room One")
    _, second = make_badge(app, demo, name="Room Two")
    open_scanner(page, live_server, staff)
    page.select_option("#scan-list", str(session_id))
    page.locator("#scan-code").focus()
    result = page.locator("#scan-result")
    wedge_scan(page, first)
    expect(result).to_contain_text("Room One")
    expect(result).to_have_class(re.compile(r"\bresult-ok\b"))
    wedge_scan(page, second)
    expect(result).to_contain_text("Room full")
    expect(result).to_have_class(re.compile(r"\bresult-bad\b"))


def test_gate_typed_before_the_page_script_ran_is_kept(live_server, page, app, demo, staff):
    """The gate field shows before the deferred script runs (on a slow phone, for a
    while): what staff type there meanwhile must not be replaced by the remembered gate."""
    registration_id, code = make_badge(app, demo)
    held = []
    page.route("**/static/js/checkin.js", lambda route: held.append(route))  # hold it back
    open_scanner(page, live_server, staff, wait_for_scripts=False)
    page.fill("#scan-gate", "East")
    assert len(held) == 1
    held[0].continue_()
    # Running, the script remembers the gate typed meanwhile (no input event told it).
    wait_until(page, "() => window.localStorage.getItem('checkin.gate') === 'East'")
    page.locator("#scan-code").focus()
    wedge_scan(page, code)
    expect(page.locator("#scan-result")).to_have_class(re.compile(r"\bresult-ok\b"))
    with app.app_context():
        assert db.session.get(Registration, registration_id).checked_in_gate == "East"
    expect(page.locator("#scan-gate")).to_have_value("East")


def test_a_scan_typed_before_the_page_script_ran_is_not_lost(live_server, page, app, demo, staff):
    """A wedge scanner fires the code and Enter the moment the page shows: the bare form
    reloads the page with the code in its address, and the scanner sends it from there."""
    registration_id, code = make_badge(app, demo, name="Early Scan")
    held = []

    def hold_first(route):
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route("**/static/js/checkin.js", hold_first)
    open_scanner(page, live_server, staff, wait_for_scripts=False)
    page.locator("#scan-code").focus()
    wedge_scan(page, code)
    expect(page.locator("body")).to_have_attribute("data-scanner-ready", "true")
    result = page.locator("#scan-result")
    expect(result).to_have_class(re.compile(r"\bresult-ok\b"))
    expect(result).to_contain_text("Early Scan")
    assert urlsplit(page.url).query == ""  # reloading does not send it again
    with app.app_context():
        assert db.session.get(Registration, registration_id).checked_in_at is not None
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-scanner-ready", "true")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Scan.id))) == 1


def test_a_link_carrying_a_code_scans_nothing(live_server, page, app, demo, staff):
    """Only the page's own reload sends a code from its address; a link from elsewhere
    (a mail, a chat) that opens /checkin?code=… checks nobody in."""
    registration_id, code = make_badge(app, demo, name="Linked Code")
    open_scanner(page, live_server, staff)
    page.goto(f"{live_server}/checkin?code={code}")
    expect(page.locator("body")).to_have_attribute("data-scanner-ready", "true")
    expect(page.locator("#scan-result")).to_have_class(re.compile(r"\bresult-idle\b"))
    assert "code=" not in page.url
    with app.app_context():
        assert db.session.get(Registration, registration_id).checked_in_at is None


def test_an_undo_that_fails_can_be_tried_again(live_server, page, app, demo, staff):
    registration_id, code = make_badge(app, demo, name="Retry Undo")
    open_scanner(page, live_server, staff)
    result = page.locator("#scan-result")
    wedge_scan(page, code)
    expect(result).to_have_class(re.compile(r"\bresult-ok\b"))

    page.route("**/api/v1/checkin/annul", lambda route: route.abort())
    page.click("#scan-undo")
    expect(result).to_have_class(re.compile(r"\bresult-bad\b"))
    expect(page.locator("#scan-undo")).to_be_enabled()
    with app.app_context():
        assert db.session.get(Registration, registration_id).checked_in_at is not None

    page.unroute("**/api/v1/checkin/annul")
    page.click("#scan-undo")
    expect(result).to_contain_text("Scan undone")
    expect(page.locator("#scan-undo")).to_be_disabled()
    with app.app_context():
        assert db.session.get(Registration, registration_id).checked_in_at is None


def test_recent_scans_are_kept_over_a_reload_of_the_tab(live_server, page, app, demo, staff):
    _, code = make_badge(app, demo, name="Kept Over Reload")
    open_scanner(page, live_server, staff)
    wedge_scan(page, code)
    expect(page.locator("#scan-result")).to_have_class(re.compile(r"\bresult-ok\b"))
    wedge_scan(page, code)
    expect(page.locator("#scan-result")).to_have_class(re.compile(r"\bresult-warn\b"))
    items = page.locator("#scan-history li")
    expect(items).to_have_count(2)
    before = items.all_inner_texts()

    page.reload()
    expect(items).to_have_count(2)
    assert items.all_inner_texts() == before
    assert "Already checked in" in before[0] and "Admitted" in before[1]

    other = page.context.new_page()  # another tab starts with an empty list
    other.goto(f"{live_server}/checkin")
    expect(other.locator("#scan-code")).to_be_focused()
    expect(other.locator("#scan-history li")).to_have_count(0)


def test_page_runs_without_errors_where_inline_script_is_forbidden(live_server, page, app, demo, staff):
    """Every part of the page starts (counters, door lists, offline keys, a scan answered)
    with no error in the console, under a Content-Security-Policy that lets scripts come
    from the site's own files only."""
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    served = []

    def own_scripts_only(route):
        response = route.fetch()
        route.fulfill(response=response,
                      headers={**response.headers, "content-security-policy": "script-src 'self'"})
        served.append(route.request.url)

    _, code = make_badge(app, demo, name="No Errors")
    open_scanner(page, live_server, staff)
    # Opened anew (the redirect after logging in passes by the route).
    page.route(lambda url: urlsplit(url).path == "/checkin", own_scripts_only)
    page.goto(f"{live_server}/checkin")
    assert len(served) == 1
    expect(page.locator("#count-in")).to_have_text("0")
    expect(page.locator("#scan-list option")).not_to_have_count(1)
    wait_until(page, "() => localStorage.getItem('checkin.keys') !== null")
    wedge_scan(page, code)
    result = page.locator("#scan-result")
    expect(result).to_have_class(re.compile(r"\bresult-ok\b"))
    expect(result).to_contain_text("No Errors")
    expect(page.locator("#count-in")).to_have_text("1")
    assert errors == []
