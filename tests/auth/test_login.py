"""Staff login and logout."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from conference.auth.service import create_or_update_user
from conference.extensions import db
from conference.models import User

WRONG = "Wrong e-mail address or password."


def log_in(client, email, password, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra})


def is_logged_in(client) -> bool:
    return client.get("/checkin").status_code == 200


def test_login_page_has_the_form(client):
    response = client.get("/login")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'name="email"' in html and 'type="password"' in html
    assert 'autocomplete="current-password"' in html


def test_staff_logs_in_and_lands_on_the_scanner(client, staff):
    response = log_in(client, *staff)
    assert response.status_code == 302
    assert response.headers["Location"] == "/checkin"
    assert is_logged_in(client)


@pytest.mark.parametrize("role", ["organiser", "admin"])
def test_organisers_and_admins_land_on_the_registrations(app, client, role):
    with app.app_context():
        create_or_update_user(f"{role}@example.org", "correct horse battery", role)
    response = log_in(client, f"{role}@example.org", "correct horse battery")
    assert response.headers["Location"] == "/admin/registrations"
    assert client.get("/login").headers["Location"] == "/admin/registrations"


def test_a_next_page_wins_over_the_organisers_start_page(app, client):
    with app.app_context():
        create_or_update_user("org@example.org", "correct horse battery", "organiser")
    response = log_in(client, "org@example.org", "correct horse battery", next="/checkin")
    assert response.headers["Location"] == "/checkin"
    client.post("/logout")
    response = log_in(client, "org@example.org", "correct horse battery",
                      next="https://evil.example/")
    assert response.headers["Location"] == "/admin/registrations"


def test_email_is_matched_whatever_its_case(client, staff):
    assert log_in(client, "  Door@Example.ORG ", staff[1]).status_code == 302


def test_bad_credentials_get_one_message_that_does_not_say_which_part(client, staff):
    for email, password in [("door@example.org", "wrong password"),
                            ("nobody@example.org", "correct horse battery"),
                            ("not an address", "correct horse battery")]:
        response = log_in(client, email, password)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert WRONG in html
        assert f'value="{email}"' in html  # the e-mail address is kept, the password is not
        assert password not in html
        assert not is_logged_in(client)


def test_inactive_account_cannot_log_in(app, client, staff):
    with app.app_context():
        db.session.execute(db.update(User).values(active=False))
        db.session.commit()
    response = log_in(client, *staff)
    assert response.status_code == 200 and WRONG in response.get_data(as_text=True)
    assert not is_logged_in(client)


def test_account_deactivated_while_logged_in_is_logged_out(app, staff_client):
    with app.app_context():
        db.session.execute(db.update(User).values(active=False))
        db.session.commit()
    assert staff_client.get("/checkin").status_code == 302


def test_empty_fields_are_named_next_to_the_field(client):
    html = log_in(client, "", "").get_data(as_text=True)
    assert "Enter your e-mail address." in html and "Enter your password." in html
    assert WRONG not in html


def test_next_path_on_this_site_is_followed(client, staff):
    page = client.get("/login?next=/checkin%3Fgate%3DNorth").get_data(as_text=True)
    assert 'name="next" type="hidden" value="/checkin?gate=North"' in page
    response = log_in(client, *staff, next="/checkin?gate=North")
    assert response.headers["Location"] == "/checkin?gate=North"


def test_redirect_from_a_protected_page_comes_back_to_it(client, staff):
    login_url = client.get("/checkin").headers["Location"]
    response = client.post(login_url, data={"email": staff[0], "password": staff[1]})
    assert response.headers["Location"] == "/checkin"


ELSEWHERE = ["https://evil.example/", "//evil.example/", "/\\evil.example", "\\\\evil.example",
             "/\t/evil.example", "javascript:alert(1)", "http:/evil.example",
             "evil.example"]


def test_next_pointing_elsewhere_is_ignored(client, staff):
    for target in ELSEWHERE:
        response = log_in(client, *staff, next=target)
        assert (target, response.headers["Location"]) == (target, "/checkin")
        client.post("/logout")
        response = client.post("/login?next=" + quote(target),
                               data={"email": staff[0], "password": staff[1]})
        assert (target, response.headers["Location"]) == (target, "/checkin")
        client.post("/logout")


def test_logged_in_staff_opening_login_go_to_the_scanner(staff_client):
    response = staff_client.get("/login")
    assert response.status_code == 302 and response.headers["Location"] == "/checkin"


def test_logout_needs_post(staff_client):
    assert staff_client.get("/logout").status_code == 405
    assert is_logged_in(staff_client)
    response = staff_client.post("/logout")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert not is_logged_in(staff_client)
    assert "You have logged out." in staff_client.get("/login").get_data(as_text=True)
