"""/checkin: the scanner page door staff keep open all day."""

from __future__ import annotations

import re

from conference.extensions import db
from conference.models import User


def test_anonymous_visitor_is_sent_to_login_and_back(client):
    response = client.get("/checkin")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Fcheckin"


def test_scanner_page_has_one_focused_code_input_for_a_wedge_scanner(staff_client):
    response = staff_client.get("/checkin")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    code_input = re.search(r"<input id=\"scan-code\"[^>]*>", html, re.DOTALL).group(0)
    assert "autofocus" in code_input and 'autocomplete="off"' in code_input
    assert 'id="scan-gate"' in html
    assert 'src="/static/js/checkin.js"' in html
    assert 'data-api-url="/api/v1/checkin"' in html
    assert 'data-header-name="X-Requested-With" data-header-value="checkin"' in html


def test_every_status_has_words_for_the_result_panel(staff_client):
    html = staff_client.get("/checkin").get_data(as_text=True)
    for status in ("ok", "already_checked_in", "invalid", "revoked", "cancelled",
                   "not_confirmed", "room_full"):
        assert re.search(rf'data-status-{status}="[^"]+"', html), status


def test_account_without_a_staff_role_gets_403(app, staff_client):
    with app.app_context():
        db.session.execute(db.update(User).values(role="attendee"))
        db.session.commit()
    assert staff_client.get("/checkin").status_code == 403
