"""Self-service and organiser actions: my data, delete my data, resend link, approve/reject,
rate limits."""

from __future__ import annotations

import json

import pytest

from conference.extensions import db
from conference.models import OutboxMessage, Registration
from conference.registration.lookups import wait_for_link_requests
from tests.registration.conference_data import api_body, form_data
from tests.registration.pages import parse_page

API = "/api/v1/registrations"


def _messages(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [
            (row.recipient, row.kind)
            for row in db.session.execute(
                db.select(OutboxMessage).order_by(OutboxMessage.id)
            ).scalars()
        ]


def test_download_my_data_is_json_with_every_field(client, conference_slug):
    token = client.post(API, json=api_body(name="مريم <i>", sessions=["forum"])).json["token"]
    response = client.get(f"/registration/{token}/data.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["name"] == "مريم <i>"
    assert data["email"] == "ada@example.org"
    assert data["sessions"] == [{"session": "forum", "status": "confirmed"}]


def test_delete_my_data_erases_the_person_but_keeps_the_counts(client, app, conference_slug):
    token = client.post(API, json=api_body(sessions=["lab"])).json["token"]
    assert "can see your badge" in client.get(f"/registration/{token}").get_data(as_text=True)
    client.post(API, json=api_body(email="next@example.org", sessions=["lab"]))
    assert client.post(f"/registration/{token}/erase").status_code == 303
    with app.app_context():
        rows = db.session.execute(db.select(Registration).order_by(Registration.id)).scalars().all()
        erased, other = rows
        assert (erased.email, erased.phone, erased.organisation) == (None, None, None)
        assert "Ada" not in erased.name
        assert erased.status == "cancelled"
        assert [b.status for b in other.seat_bookings] == ["confirmed"]
    html = client.get(f"/registration/{token}").get_data(as_text=True)
    assert "Ada Lovelace" not in html and "Cancelled" in html
    assert "can see your badge" not in html  # there is no badge left to see


def test_duplicate_offers_to_resend_and_the_answer_never_differs(client, app, conference_slug):
    client.post("/register", data=form_data())
    duplicate = client.post("/register", data=form_data(name="Eve"))
    assert duplicate.status_code == 409
    assert "Send my registration link again" in duplicate.get_data(as_text=True)
    known = client.post("/register/resend-link", data={"email": "ada@example.org"})
    wait_for_link_requests()
    unknown = client.post("/register/resend-link", data={"email": "nobody@example.org"})
    wait_for_link_requests()
    assert known.status_code == unknown.status_code == 200
    assert known.get_data() == unknown.get_data()
    assert _messages(app) == [("ada@example.org", "confirmed"), ("ada@example.org", "manage_link")]


@pytest.mark.parametrize(
    ("lang", "heading", "label"),
    [
        ("en", "Already registered? We can e-mail your link again.", "Your e-mail address"),
        ("zh", "已经报名？我们可以重新发送您的报名链接。", "您的电子邮箱"),
    ],
)
def test_the_register_page_offers_to_mail_the_link_again(client, conference_slug, lang, heading,
                                                          label):
    page = parse_page(client.get(f"/register?lang={lang}"))
    [section] = page.xpath("//*[@id='resend-link']")
    assert heading in section.text_content()
    [form] = section.xpath(".//form")
    assert (form.get("method"), form.get("action")) == ("post", "/register/resend-link")
    [field] = form.xpath(".//input[@name='email']")
    assert field.get("type") == "email" and not field.get("value")
    [for_field] = form.xpath(f".//label[@for='{field.get('id')}']")
    assert for_field.text_content().strip() == label
    assert form.xpath(".//button[@type='submit']")
    # Pointed to from the top of the page, and no id is shared with the registration form.
    assert page.xpath("//a[@href='#resend-link']")
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids))


def test_a_duplicate_address_points_to_the_form_mailing_the_link(client, conference_slug):
    client.post("/register", data=form_data())
    duplicate = client.post("/register?lang=en", data=form_data(name="Eve", email="ADA@example.org"))
    assert duplicate.status_code == 409
    page = parse_page(duplicate)
    [pointer] = page.xpath("//*[@id='email-error']//a")
    assert pointer.get("href") == "#resend-link"
    assert pointer.text_content() == "We can e-mail your link again."
    [typed] = page.xpath("//*[@id='resend-link']//input[@name='email']")
    assert typed.get("value") == "ADA@example.org"


def test_mailing_the_link_from_the_register_page_is_rate_limited(client, app, conference_slug):
    client.post("/register", data=form_data())
    answers = [
        client.post("/register/resend-link", data={"email": address}).status_code
        for address in ["ada@example.org", "nobody@example.org"] * 3
    ]
    wait_for_link_requests()
    assert answers == [200, 200, 200, 429, 429, 429]
    assert client.get("/register/resend-link?lang=zh").status_code == 303  # never limited
    assert _messages(app).count(("ada@example.org", "manage_link")) == 1  # one per 10 minutes


def test_the_link_is_mailed_at_most_once_in_ten_minutes(client, app, conference_slug):
    from conference.registration.lookups import RESEND_INTERVAL

    client.post("/register", data=form_data())
    for _ in range(2):
        assert client.post("/register/resend-link", data={"email": "ada@example.org"}).status_code == 200
        wait_for_link_requests()
    assert _messages(app).count(("ada@example.org", "manage_link")) == 1
    with app.app_context():  # ten minutes later
        row = db.session.execute(
            db.select(OutboxMessage).where(OutboxMessage.kind == "manage_link")).scalar_one()
        row.created_at -= RESEND_INTERVAL
        db.session.commit()
    assert client.post("/register/resend-link", data={"email": "ADA@example.org"}).status_code == 200
    wait_for_link_requests()
    assert _messages(app).count(("ada@example.org", "manage_link")) == 2


def test_approve_and_reject_from_the_command_line(client, app, runner, conference_slug):
    client.post(API, json=api_body(email="gov@example.org", category="expert"))
    client.post(API, json=api_body(email="press@example.org", category="expert"))
    result = runner.invoke(args=["approve", "gov@example.org"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["reject", "press@example.org"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["approve", "press@example.org"]).exit_code != 0
    assert runner.invoke(args=["approve", "nobody@example.org"]).exit_code != 0
    with app.app_context():
        statuses = dict(
            db.session.execute(db.select(Registration.email, Registration.status)).all()
        )
    assert statuses == {"gov@example.org": "confirmed", "press@example.org": "rejected"}
    assert ("gov@example.org", "approved") in _messages(app)
    assert ("press@example.org", "rejected") in _messages(app)


def test_the_command_line_finds_an_address_as_the_form_stored_it(client, app, runner, conference_slug):
    client.post(API, json=api_body(email="José@Example.org", category="expert"))
    # In capitals and with the accent as a separate combining mark, as a terminal may send it.
    result = runner.invoke(args=["approve", " JOSE\u0301@EXAMPLE.ORG "])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.execute(db.select(Registration.status)).scalar_one() == "confirmed"


@pytest.fixture
def app_config(request) -> dict:
    if "rate" in request.node.name:
        return {
            "RATELIMIT_ENABLED": True,
            "REGISTRATION_RATE_LIMIT": "3/minute",
            "RESEND_RATE_LIMIT": "3/minute",
        }
    return {}


def test_registration_rate_limit_answers_429(client, conference_slug):
    answers = [
        client.post(API, json=api_body(email=f"r{i}@example.org")).status_code for i in range(4)
    ]
    assert answers == [201, 201, 201, 429]


def _login(client, app, role: str) -> None:
    from conference.auth.service import create_or_update_user

    with app.app_context():
        create_or_update_user(f"{role}@example.org", "correct horse battery", role)
    response = client.post(
        "/login", data={"email": f"{role}@example.org", "password": "correct horse battery"}
    )
    assert response.status_code == 302


def test_organiser_page_lists_pending_and_approves(client, app, conference_slug):
    token = client.post(API, json=api_body(name="<script>x</script>", category="expert")).json[
        "token"
    ]
    assert client.get("/admin/registrations").status_code in (302, 401)
    _login(client, app, "staff")
    assert client.get("/admin/registrations").status_code == 403
    assert 'href="/admin/' not in client.get("/").get_data(as_text=True)
    client.post("/logout")
    _login(client, app, "organiser")
    home = client.get("/").get_data(as_text=True)  # the organiser's pages are one click away
    for page in ("/admin/registrations", "/admin/badges", "/admin/checkin"):
        assert f'href="{page}"' in home
    html = client.get("/admin/registrations").get_data(as_text=True)
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x" not in html
    assert '>Pending approval <span class="count">1</span></a>' in html  # words, not codes
    with app.app_context():
        registration_id = db.session.execute(
            db.select(Registration.id).where(Registration.token == token)).scalar_one()
    response = client.post(f"/admin/registrations/{registration_id}/approve")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.execute(db.select(Registration.status)).scalar_one() == "confirmed"
    html = client.get("/admin/registrations?status=pending").get_data(as_text=True)
    assert "No registrations with this status." in html
    assert html.count("Done: &lt;script&gt;x&lt;/script&gt;.") == 1  # said once, not by two layouts
    chinese = client.get("/admin/registrations?lang=zh").get_data(as_text=True)
    assert '>待审核 <span class="count">0</span></a>' in chinese and ">pending" not in chinese
