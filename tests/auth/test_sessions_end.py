"""Logging out, a password change and deactivation end every session of the account, on
every device, remember-me cookies included; remember-me lasts 30 days at most."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from conference.auth.service import create_or_update_user
from conference.extensions import db
from conference.models import User

REMEMBER = "remember_token"


def _logged_in(app, staff, *, remember: bool = False):
    client = app.test_client()
    data = {"email": staff[0], "password": staff[1]}
    if remember:
        data["remember"] = "y"
    assert client.post("/login", data=data).status_code == 302
    assert client.get("/checkin").status_code == 200
    return client


def _only_the_remember_cookie(app, client):
    """A new browser holding only ``client``'s remember-me cookie (the session is gone)."""
    cookie = client.get_cookie(REMEMBER)
    assert cookie is not None
    fresh = app.test_client()
    fresh.set_cookie(REMEMBER, cookie.value)
    return fresh


def _locked_out(client) -> bool:
    response = client.get("/checkin")
    return response.status_code == 302 and "/login" in response.headers["Location"]


def test_logging_out_ends_the_sessions_on_every_device(app, demo, staff):
    phone = _logged_in(app, staff)
    laptop = _logged_in(app, staff, remember=True)
    remembered = _only_the_remember_cookie(app, laptop)
    phone.post("/logout")
    assert _locked_out(phone)
    assert _locked_out(laptop)
    assert _locked_out(remembered)
    assert not _locked_out(_logged_in(app, staff))  # logging in again works


def test_a_password_change_ends_every_old_session(app, demo, staff):
    phone = _logged_in(app, staff)
    remembered = _only_the_remember_cookie(app, _logged_in(app, staff, remember=True))
    with app.app_context():
        create_or_update_user(staff[0], "a new long password", "staff")
    assert _locked_out(phone)
    assert _locked_out(remembered)
    assert _logged_in(app, (staff[0], "a new long password"))


def test_deactivation_logs_out_everywhere(app, demo, staff):
    phone = _logged_in(app, staff)
    remembered = _only_the_remember_cookie(app, _logged_in(app, staff, remember=True))
    with app.app_context():
        user = db.session.execute(db.select(User).where(User.email == staff[0])).scalar_one()
        user.active = False
        db.session.commit()
    assert _locked_out(phone)
    assert _locked_out(remembered)


def test_a_session_cookie_from_before_the_generations_is_refused(app, demo, staff):
    client = _logged_in(app, staff)
    with app.app_context():
        user_id = db.session.execute(db.select(User.id).where(User.email == staff[0])).scalar_one()
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)  # as sessions were stored before
    assert _locked_out(client)


def test_remember_me_lasts_at_most_thirty_days(app, demo, staff):
    client = app.test_client()
    response = client.post("/login", data={"email": staff[0], "password": staff[1],
                                           "remember": "y"})
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(REMEMBER)]
    expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0])
    assert expires - datetime.now(UTC) <= timedelta(days=30, minutes=1)
    assert expires - datetime.now(UTC) >= timedelta(days=29)
