"""POST /api/v1/registrations."""

from __future__ import annotations

import pytest

from conference.badges.tokens import verify_code
from conference.extensions import db
from conference.models import Registration
from tests.api.problems import invalid_fields
from tests.registration.conference_data import api_body, load_conference

URL = "/api/v1/registrations"
PROBLEM = "application/problem+json"


@pytest.fixture
def conference_slug(app) -> str:
    return load_conference(app)


def _count(app) -> int:
    with app.app_context():
        return db.session.execute(db.select(db.func.count(Registration.id))).scalar_one()


def test_registration_is_created_with_a_verifiable_badge_code(client, app, conference_slug):
    response = client.post(URL, json=api_body(sessions=[], job_title="CTO", phone="+86 123"))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "confirmed"
    assert body["sessions"] == []
    assert body["manage_url"].endswith(f"/registration/{body['token']}")
    assert response.headers["Location"] == body["manage_url"]
    with app.app_context():
        registration = db.session.execute(
            db.select(Registration).where(Registration.token == body["token"])
        ).scalar_one()
        assert registration.job_title == "CTO"
        assert verify_code(body["code"]).public_id == registration.public_id
    manage = client.get(body["manage_url"])
    assert manage.status_code == 200
    assert "Ada Lovelace" in manage.get_data(as_text=True)


def test_the_manage_url_is_on_public_url_whatever_host_the_request_named(
    client, app, conference_slug
):
    # As `make run` and gunicorn serve: no SERVER_NAME, every Host header is answered.
    app.config.update(SERVER_NAME=None, PUBLIC_URL="https://conference.example.cn/hefei/")

    response = client.post(URL, json=api_body(), headers={"Host": "evil.example"})

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["manage_url"] == f"https://conference.example.cn/hefei/registration/{body['token']}"
    assert response.headers["Location"] == body["manage_url"]
    assert "evil.example" not in response.get_data(as_text=True)


def test_category_needing_approval_is_pending_without_code(client, conference_slug):
    response = client.post(URL, json=api_body(category="expert"))
    assert response.status_code == 201
    assert response.get_json()["status"] == "pending"
    assert response.get_json()["code"] is None


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.content_type == PROBLEM
    body = response.get_json()
    assert body["status"] == status
    assert body["title"]
    return body


def _refused_fields(response) -> dict[str, list[str]]:
    """The fields a 422 names in invalid_params, with their reasons."""
    return invalid_fields(_problem(response, 422))


def test_missing_and_wrong_fields_are_listed(client, app, conference_slug):
    response = client.post(URL, json={"email": "nope", "category": "delegate"})
    errors = _refused_fields(response)
    assert set(errors) == {"name", "email", "organisation", "consent"}
    assert all(isinstance(m, str) for messages in errors.values() for m in messages)
    assert _count(app) == 0


def test_over_long_name_is_refused(client, conference_slug):
    errors = _refused_fields(client.post(URL, json=api_body(name="x" * 121)))
    assert list(errors) == ["name"]


def test_wrong_types_are_refused(client, conference_slug):
    errors = _refused_fields(client.post(URL, json=api_body(name=5, consent="yes", sessions="all")))
    assert set(errors) == {"name", "consent", "sessions"}


def test_consent_is_required(client, app, conference_slug):
    errors = _refused_fields(client.post(URL, json=api_body(consent=None)))
    assert list(errors) == ["consent"]
    errors = _refused_fields(client.post(URL, json=api_body(consent=False)))
    assert list(errors) == ["consent"]
    assert _count(app) == 0


@pytest.mark.parametrize("category", ["vip", "crew"])
def test_unknown_or_private_category_is_422(client, conference_slug, category):
    errors = _refused_fields(client.post(URL, json=api_body(category=category)))
    assert list(errors) == ["category"]


def test_a_session_without_seat_limit_cannot_be_picked(client, app, conference_slug):
    fields = _refused_fields(client.post(URL, json=api_body(sessions=["opening"])))
    assert "not a session with seats" in fields["sessions"][0]
    assert _count(app) == 0


def test_duplicate_email_is_409(client, app, conference_slug):
    assert client.post(URL, json=api_body()).status_code == 201
    body = _problem(client.post(URL, json=api_body(email="ADA@example.org", name="Eve")), 409)
    assert "already registered" in body["detail"]
    assert "token" not in body
    assert _count(app) == 1


def test_full_category_answers_201_waitlisted_without_a_code(client, app, conference_slug):
    assert client.post(URL, json=api_body(category="student")).status_code == 201
    response = client.post(URL, json=api_body(email="b@example.org", category="student"))
    assert response.status_code == 201
    assert response.json["status"] == "waitlisted"
    assert response.json["code"] is None
    assert _count(app) == 2


def test_body_that_is_not_json_is_refused(client, conference_slug):
    _problem(client.post(URL, data={"name": "Ada"}), 415)
    _problem(client.post(URL, data="{not json", content_type="application/json"), 400)
    # Well-formed JSON that is not an object is a 422 naming the body, as on every operation.
    assert _refused_fields(client.post(URL, json=["Ada"])).keys() == {"body"}


def test_without_a_conference_the_answer_is_404_problem(client):
    _problem(client.post(URL, json=api_body()), 404)


def test_answers_are_stored_and_the_source_is_api(client, app, conference_slug):
    response = client.post(
        URL, json=api_body(answers={"diet": "halal", "topics": ["energy", "sensors"]})
    )
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        registration = db.session.execute(db.select(Registration)).scalar_one()
        assert registration.source == "api"
        assert {a.question.code: a.value for a in registration.answers} == {
            "diet": "halal",
            "topics": ["sensors", "energy"],  # in the order the options are listed
        }


def test_a_bad_answer_is_a_problem_naming_its_field(client, app, conference_slug):
    response = client.post(URL, json=api_body(answers={"diet": "steak", "news": 1}))
    assert response.status_code == 422
    assert response.content_type == PROBLEM
    errors = invalid_fields(response.get_json())
    assert set(errors) == {"answers.diet", "answers.news"}
    assert _count(app) == 0
