"""Session seats: picks on the form and the API, overlap, waiting lists, cancellation."""

from __future__ import annotations

from conference.extensions import db
from conference.models import Registration, SeatBooking
from tests.api.problems import invalid_fields
from tests.registration.conference_data import api_body, form_data
from tests.registration.pages import parse_page

API = "/api/v1/registrations"


def _seat_statuses(app, session_slug: str) -> list[tuple[str, str]]:
    """(e-mail, booking status) for a session, in arrival order."""
    from conference.models import Session

    with app.app_context():
        rows = db.session.execute(
            db.select(Registration.email, SeatBooking.status)
            .join(SeatBooking.registration)
            .join(Session, Session.id == SeatBooking.session_id)
            .where(Session.slug == session_slug)
            .order_by(SeatBooking.id)
        ).all()
        return [tuple(row) for row in rows]


def _api(client, email: str, sessions, **changes):
    return client.post(API, json=api_body(email=email, sessions=sessions, **changes))


def test_api_answers_a_seat_then_a_waiting_list_place(client, app, conference_slug):
    first = _api(client, "a@example.org", ["lab", "forum"])
    assert first.status_code == 201
    assert first.json["sessions"] == [
        {"id": "lab", "status": "confirmed"},
        {"id": "forum", "status": "confirmed"},
    ]
    second = _api(client, "b@example.org", ["lab"])
    assert second.status_code == 201
    assert second.json["status"] == "confirmed"
    assert second.json["sessions"] == [{"id": "lab", "status": "waitlisted"}]


def test_overlapping_picks_are_refused_with_both_titles(client, app, conference_slug):
    response = _api(client, "a@example.org", ["lab", "clinic"])
    assert response.status_code == 422
    [message] = invalid_fields(response.json)["sessions"]
    assert "Sensor lab" in message and "Calibration clinic" in message
    assert _seat_statuses(app, "lab") == []


def test_unknown_and_badly_typed_picks_are_422(client, conference_slug):
    assert _api(client, "a@example.org", ["nope"]).status_code == 422
    assert _api(client, "a@example.org", "lab").status_code == 422
    assert _api(client, "a@example.org", [{"id": "lab"}]).status_code == 422


def test_seats_left_shows_on_the_session_page_and_the_api(client, app, conference_slug):
    _api(client, "a@example.org", ["forum"])
    _api(client, "b@example.org", ["forum"])
    items = client.get("/api/v1/sessions").json["items"]
    forum = next(item for item in items if item["slug"] == "forum")
    assert forum["capacity"] == 10
    assert forum["seats_left"] == 8
    assert "8 left" in client.get("/sessions/forum").get_data(as_text=True)
    assert "8 left" in client.get("/agenda").get_data(as_text=True)


def test_cancel_frees_the_seat_for_the_first_in_line_only(client, app, conference_slug):
    first = _api(client, "a@example.org", ["lab"]).json
    _api(client, "b@example.org", ["lab"])
    _api(client, "c@example.org", ["lab"])
    response = client.post(f"/registration/{first['token']}/cancel")
    assert response.status_code == 303
    assert _seat_statuses(app, "lab") == [
        ("a@example.org", "cancelled"),
        ("b@example.org", "confirmed"),
        ("c@example.org", "waitlisted"),
    ]
    html = client.get(f"/registration/{first['token']}").get_data(as_text=True)
    assert "Cancelled" in html
    with app.app_context():
        cancelled = db.session.execute(
            db.select(Registration).where(Registration.email == "a@example.org")
        ).scalar_one()
        assert cancelled.badge_version == 2
    # A second cancel changes nothing.
    client.post(f"/registration/{first['token']}/cancel")
    assert [status for _, status in _seat_statuses(app, "lab")] == [
        "cancelled",
        "confirmed",
        "waitlisted",
    ]


def test_waitlisted_registration_gets_its_seat_when_promoted(client, app, conference_slug):
    student = _api(client, "s1@example.org", ["lab"], category="student").json
    waiting = _api(client, "s2@example.org", ["forum"], category="student").json
    assert waiting["status"] == "waitlisted"
    assert waiting["sessions"] == [{"id": "forum", "status": "waitlisted"}]
    client.post(f"/registration/{student['token']}/cancel")
    assert _seat_statuses(app, "forum") == [("s2@example.org", "confirmed")]
    html = client.get(f"/registration/{waiting['token']}").get_data(as_text=True)
    assert "Seat confirmed" in html


def test_form_offers_limited_sessions_with_seats_left_and_books_them(client, app, conference_slug):
    page = client.get("/register").get_data(as_text=True)
    assert "Sensor lab" in page and "1 seats left" in page
    assert "Opening" not in page.split("session-picks")[-1].split("</fieldset>")[0]
    response = client.post("/register", data=form_data(sessions=["lab", "forum"]))
    assert response.status_code == 303
    manage = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sensor lab" in manage and "Seat confirmed" in manage
    assert "Full: waiting list" in client.get("/register").get_data(as_text=True)
    second = client.post("/register", data=form_data(email="b@example.org", sessions=["lab"]))
    manage = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "number 1 in line" in manage


def test_form_shows_the_overlap_next_to_the_sessions(client, app, conference_slug):
    response = client.post("/register", data=form_data(sessions=["lab", "clinic"]))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="sessions-error"' in html
    assert "same time" in html
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Registration.id))).scalar_one() == 0


def test_cancel_needs_the_csrf_token(tmp_path, conference_slug, app):
    from tests.conftest import make_app

    strict = make_app(
        tmp_path,
        WTF_CSRF_ENABLED=True,
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
    )
    with strict.app_context():
        token = db.session.execute(db.select(Registration.token)).scalar_one_or_none()
    assert token is None  # nothing registered yet: register through the API (no CSRF there)
    response = strict.test_client().post(API, json=api_body())
    token = response.json["token"]
    assert strict.test_client().post(f"/registration/{token}/cancel").status_code == 400
    with strict.app_context():
        assert db.session.execute(db.select(Registration.status)).scalar_one() == "confirmed"
        db.engine.dispose()


def test_changing_picks_frees_the_dropped_seat_and_checks_overlap(client, app, conference_slug):
    first = _api(client, "a@example.org", ["lab"]).json
    _api(client, "b@example.org", ["lab"])
    refused = client.post(
        f"/registration/{first['token']}/sessions", data={"sessions": ["lab", "clinic"]}
    )
    assert refused.status_code == 422
    assert "same time" in refused.get_data(as_text=True)
    assert [s for _, s in _seat_statuses(app, "lab")] == ["confirmed", "waitlisted"]
    moved = client.post(f"/registration/{first['token']}/sessions", data={"sessions": ["clinic"]})
    assert moved.status_code == 303
    assert _seat_statuses(app, "lab") == [("b@example.org", "confirmed")]
    assert _seat_statuses(app, "clinic") == [("a@example.org", "confirmed")]
    html = client.get(f"/registration/{first['token']}").get_data(as_text=True)
    assert "Calibration clinic" in html and "Seat confirmed" in html


def test_refused_session_change_keeps_the_ticks_sent_and_names_the_problem_first(
    client, app, conference_slug
):
    token = _api(client, "a@example.org", ["forum"]).json["token"]

    refused = client.post(f"/registration/{token}/sessions?lang=en",
                          data={"sessions": ["lab", "clinic"]})

    assert refused.status_code == 422
    form = parse_page(refused).xpath("//form[contains(@class, 'change-sessions')]")[0]
    ticked = form.xpath(".//input[@name='sessions' and @checked]/@value")
    assert ticked == ["lab", "clinic"]  # as sent, not the forum still booked
    [error] = form.xpath(".//*[@id='sessions-error']")
    assert error.get("role") == "alert"
    assert "Sensor lab" in error.text_content() and "Calibration clinic" in error.text_content()
    # The reason stands above the choices it is about.
    in_order = list(form.iter())
    assert in_order.index(error) < in_order.index(form.xpath(".//input[@name='sessions']")[0])
    assert [s for _, s in _seat_statuses(app, "forum")] == ["confirmed"]


def test_every_overlapping_pair_is_named(client, demo):
    picks = ["forum-new-energy-sensing", "workshop-mems-calibration",  # both 13:30–15:00
             "park-tour", "workshop-edge-sensor-data"]  # 15:20–17:15 and 15:20–16:50
    response = _api(client, "a@example.org", picks)

    assert response.status_code == 422
    first, second = invalid_fields(response.json)["sessions"]
    assert "New energy forum" in first and "MEMS pressure sensor calibration" in first
    assert "Park tour" in second and "connecting sensor data" in second


def test_the_session_change_address_opened_again_leads_to_the_manage_page(
    client, conference_slug
):
    token = _api(client, "a@example.org", ["forum"]).json["token"]

    response = client.get(f"/registration/{token}/sessions?lang=zh")

    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/registration/{token}?lang=zh")
    assert client.get("/registration/no-such-token/sessions").status_code == 404
