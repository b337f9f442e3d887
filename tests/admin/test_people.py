"""/admin/people: inviting people, roles, deactivation, API and device tokens."""

from __future__ import annotations

import re

import pytest

from conference.extensions import db
from conference.models import AuditEntry
from tests.admin.people_helpers import account, logged_in, mails_to, user_id

COUNTERS = "/api/v1/checkin/counters"


@pytest.fixture
def admin_client(app):
    return logged_in(app, "chief@example.org", "admin")


def _link(message) -> str:
    body = message.get_content()
    return re.search(r"http://\S+/set-password/\S+", body).group(0).split("localhost", 1)[-1]


def test_an_invited_organiser_sets_a_password_once_and_logs_in(app, organiser_client, client):
    response = organiser_client.post("/admin/people/invite", data={
        "invite-email": "new.person@example.org", "invite-role": "organiser", "invite-language": "zh"})
    assert response.status_code == 303
    [mail] = mails_to(app, "new.person@example.org", "invitation")
    assert "组织者" in mail.get_content() and "后台" in str(mail["Subject"])
    link = _link(mail)
    anonymous = app.test_client()
    # Before the password is set nobody can log in with any password.
    assert anonymous.post("/login", data={"email": "new.person@example.org",
                                          "password": "whatever it is"}).status_code == 200
    page = anonymous.get(link)
    assert page.status_code == 200 and "new.person@example.org" in page.get_data(as_text=True)
    short = anonymous.post(link, data={"password": "short", "confirm": "short"})
    assert short.status_code == 400
    done = anonymous.post(link, data={"password": "a long new password", "confirm": "a long new password"})
    assert done.status_code == 303
    assert anonymous.post("/login", data={"email": "new.person@example.org",
                                          "password": "a long new password"}).status_code == 302
    assert anonymous.get("/admin/people").status_code == 200  # an organiser now
    assert app.test_client().get(link).status_code == 404  # used up


def test_an_expired_link_says_so(app, organiser_client):
    organiser_client.post("/admin/people/invite", data={
        "invite-email": "late@example.org", "invite-role": "staff", "invite-language": "en"})
    link = _link(mails_to(app, "late@example.org")[0])
    app.config["INVITATION_MAX_AGE"] = -1
    response = app.test_client().get(link)
    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)
    assert app.test_client().get("/set-password/forged.token.here").status_code == 404


def test_an_organiser_may_not_make_an_admin_but_an_admin_may(app, organiser_client, admin_client):
    refused = organiser_client.post("/admin/people/invite", data={
        "invite-email": "boss2@example.org", "invite-role": "admin", "invite-language": "en"})
    assert refused.status_code == 400
    assert mails_to(app, "boss2@example.org") == []
    assert 'value="admin"' not in organiser_client.get("/admin/people").get_data(as_text=True)
    made = admin_client.post("/admin/people/invite", data={
        "invite-email": "boss2@example.org", "invite-role": "admin", "invite-language": "en"})
    assert made.status_code == 303 and len(mails_to(app, "boss2@example.org")) == 1


def test_inviting_an_address_with_an_account_is_a_form_error(app, organiser_client, organiser):
    response = organiser_client.post("/admin/people/invite", data={
        "invite-email": organiser[0], "invite-role": "staff", "invite-language": "en"})
    assert response.status_code == 400
    assert "has an account already" in response.get_data(as_text=True)
    bad = organiser_client.post("/admin/people/invite", data={
        "invite-email": "not an address", "invite-role": "staff", "invite-language": "en"})
    assert bad.status_code == 400


def test_roles_change_within_the_rules(app, organiser_client, organiser):
    staff_id = account(app, "door2@example.org", "staff")
    admin_id = account(app, "root@example.org", "admin")
    assert organiser_client.post(f"/admin/people/{staff_id}/role", data={"role": "organiser"}).status_code == 303
    assert organiser_client.post(f"/admin/people/{staff_id}/role", data={"role": "admin"}).status_code == 400
    assert organiser_client.post(f"/admin/people/{admin_id}/role", data={"role": "staff"}).status_code == 403
    own = user_id(app, organiser[0])
    assert organiser_client.post(f"/admin/people/{own}/role", data={"role": "staff"}).status_code == 403
    with app.app_context():
        entry = db.session.execute(db.select(AuditEntry).where(AuditEntry.kind == "account.role")).scalar_one()
        assert entry.changes == {"role": ["staff", "organiser"]} and entry.actor == organiser[0]


def test_deactivating_ends_the_sessions_and_the_tokens_of_the_account(app, organiser_client):
    door = logged_in(app, "door3@example.org", "staff")
    assert door.get("/checkin").status_code == 200
    door_id = user_id(app, "door3@example.org")
    with app.app_context():
        from conference.auth.api_tokens import issue_api_token
        from conference.models import User
        _, token = issue_api_token(db.session.get(User, door_id), "door tablet")
    bearer = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get(COUNTERS, headers=bearer).status_code == 200
    response = organiser_client.post(f"/admin/people/{door_id}/active", data={"active": "0"})
    assert response.status_code == 303
    assert door.get("/checkin").status_code == 302  # logged out
    assert app.test_client().get(COUNTERS, headers=bearer).status_code == 401
    html = organiser_client.get("/admin/people").get_data(as_text=True)
    assert "deactivated" in html
    organiser_client.post(f"/admin/people/{door_id}/active", data={"active": "1"})
    assert app.test_client().get(COUNTERS, headers=bearer).status_code == 200


def test_an_organiser_may_not_deactivate_an_admin_nor_themselves(app, organiser_client, organiser):
    admin_id = account(app, "root@example.org", "admin")
    assert organiser_client.post(f"/admin/people/{admin_id}/active", data={"active": "0"}).status_code == 403
    own = user_id(app, organiser[0])
    assert organiser_client.post(f"/admin/people/{own}/active", data={"active": "0"}).status_code == 403
    assert organiser_client.get("/admin/people").status_code == 200


def test_an_api_token_made_on_the_page_is_shown_once_and_acts_with_its_role(app, organiser_client, organiser):
    own = user_id(app, organiser[0])
    response = organiser_client.post("/admin/people/api-tokens",
                                     data={"token-name": "CRM sync", "token-account": own})
    assert response.status_code == 201
    assert "no-store" in response.headers["Cache-Control"]
    token = re.search(r'<code id="new-token">(api_[^<]+)</code>', response.get_data(as_text=True)).group(1)
    again = organiser_client.get("/admin/people").get_data(as_text=True)
    assert "CRM sync" in again and token not in again
    bearer = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get(COUNTERS, headers=bearer).status_code == 200
    token_id = re.search(r'/admin/people/api-tokens/(\d+)/revoke', again).group(1)
    assert organiser_client.post(f"/admin/people/api-tokens/{token_id}/revoke").status_code == 303
    answer = app.test_client().get(COUNTERS, headers=bearer)
    assert answer.status_code == 401 and answer.content_type == "application/problem+json"
    with app.app_context():
        kinds = db.session.execute(db.select(AuditEntry.kind).order_by(AuditEntry.id)).scalars().all()
        assert kinds == ["api_token.create", "api_token.revoke"]


def test_an_organiser_may_not_make_a_token_acting_as_an_admin(app, organiser_client):
    admin_id = account(app, "root@example.org", "admin")
    response = organiser_client.post("/admin/people/api-tokens",
                                     data={"token-name": "sneaky", "token-account": admin_id})
    assert response.status_code == 400 and "api_" not in response.get_data(as_text=True).split("</h1>")[1].split("Accounts")[0]


def test_a_device_token_made_on_the_page_scans_until_revoked(app, organiser_client, demo):
    response = organiser_client.post("/admin/people/devices", data={"device-name": "North gate"})
    assert response.status_code == 201
    token = re.search(r'<code id="new-token">(dev_[^<]+)</code>', response.get_data(as_text=True)).group(1)
    bearer = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get(COUNTERS, headers=bearer).status_code == 200
    html = organiser_client.get("/admin/people").get_data(as_text=True)
    device_id = re.search(r'/admin/people/devices/(\d+)/revoke', html).group(1)
    organiser_client.post(f"/admin/people/devices/{device_id}/revoke")
    assert app.test_client().get(COUNTERS, headers=bearer).status_code == 401
    assert organiser_client.post("/admin/people/devices", data={"device-name": ""}).status_code == 400


def test_create_api_token_prints_the_token_alone_on_its_last_line(app, runner, organiser):
    result = runner.invoke(args=["create-api-token", organiser[0], "Reporting"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert re.fullmatch(r"api_[A-Za-z0-9_-]{40,}", token)
    assert app.test_client().get(COUNTERS, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    unknown = runner.invoke(args=["create-api-token", "nobody@example.org", "x"])
    assert unknown.exit_code != 0 and "no active account" in unknown.output


PAGES_GET = ["/admin/people"]
PAGES_POST = ["/admin/people/invite", "/admin/people/1/role", "/admin/people/1/active",
              "/admin/people/1/link", "/admin/people/api-tokens", "/admin/people/api-tokens/1/revoke",
              "/admin/people/devices", "/admin/people/devices/1/revoke"]


@pytest.mark.parametrize("path", PAGES_GET + PAGES_POST)
def test_role_matrix(app, client, staff_client, path):
    method = "get" if path in PAGES_GET else "post"
    anonymous = getattr(app.test_client(), method)(path)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert getattr(staff_client, method)(path).status_code == 403


def test_a_token_acts_with_its_accounts_role_of_the_moment(app, organiser_client, runner, demo):
    staff_id = account(app, "door5@example.org", "staff")
    token = runner.invoke(args=["create-api-token", "door5@example.org", "kiosk"]).output.strip().splitlines()[-1]
    bearer = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get("/api/v1/dashboard", headers=bearer).status_code == 403
    organiser_client.post(f"/admin/people/{staff_id}/role", data={"role": "organiser"})
    assert app.test_client().get("/api/v1/dashboard", headers=bearer).status_code == 200


@pytest.mark.parametrize("role", ["organiser", "admin"])
def test_every_new_page_opens_for_organisers_and_admins(app, demo, role):
    client = logged_in(app, f"{role}7@example.org", role)
    for path in ("/admin", "/admin/people", "/admin/audit", "/admin/announcements"):
        assert client.get(path).status_code == 200, path
    assert client.get("/api/v1/dashboard", headers={"X-Requested-With": "checkin"}).status_code == 200


def test_an_api_token_scans_badges_as_its_account(app, runner, organiser, register):
    badge = register(name="Zhou Yu")
    token = runner.invoke(args=["create-api-token", organiser[0], "gate kiosk"]).output.strip().splitlines()[-1]
    bearer = {"Authorization": f"Bearer {token}"}
    answer = app.test_client().post("/api/v1/checkin", json={"code": badge.code, "gate": "North"}, headers=bearer)
    assert answer.status_code == 200 and answer.get_json()["status"] == "ok"
    again = app.test_client().post("/api/v1/checkin", json={"code": badge.code, "gate": "North"}, headers=bearer)
    assert again.get_json()["status"] == "already_checked_in"
    with app.app_context():
        from conference.models import Scan
        assert {scan.scanned_by for scan in db.session.execute(db.select(Scan)).scalars()} == {
            f"user:{user_id(app, organiser[0])}:{organiser[0]}"}


def test_a_new_link_voids_the_old_one_and_a_deactivated_account_has_none(app, organiser_client):
    organiser_client.post("/admin/people/invite", data={
        "invite-email": "twice@example.org", "invite-role": "staff", "invite-language": "en"})
    first = _link(mails_to(app, "twice@example.org")[0])
    account_id = user_id(app, "twice@example.org")
    assert organiser_client.post(f"/admin/people/{account_id}/link").status_code == 303
    second = _link(mails_to(app, "twice@example.org", "password_link")[0])
    assert app.test_client().get(first).status_code == 404
    assert app.test_client().get(second).status_code == 200
    organiser_client.post(f"/admin/people/{account_id}/active", data={"active": "0"})
    assert app.test_client().get(second).status_code == 404
