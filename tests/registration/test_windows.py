"""Categories open and close for online registration at set times (conference local time)."""

from __future__ import annotations

from datetime import datetime, timedelta

import lxml.html
import pytest

from conference.extensions import db
from conference.models import AttendeeCategory, Conference, Registration
from conference.models.base import utcnow
from conference.registration.lifecycle import register
from conference.registration.validation import InvalidRegistration, RegistrationData
from tests.api.problems import invalid_fields
from tests.registration.conference_data import SLUG, api_body, form_data

# The test file's "early" category: 2025-06-01 09:00 to 2025-09-10 18:00 in Hefei (UTC+8).
OPENS_UTC = datetime(2025, 6, 1, 1, 0)
CLOSES_UTC = datetime(2025, 9, 10, 10, 0)
MINUTE = timedelta(minutes=1)


def _conference() -> Conference:
    return db.session.execute(db.select(Conference).where(Conference.slug == SLUG)).scalar_one()


def _data(email: str) -> RegistrationData:
    return RegistrationData(
        name="Ada", email=email, organisation="Lab", category_code="early", consent=True
    )


def test_the_window_is_stored_in_utc(app, conference_slug):
    with app.app_context():
        early = db.session.execute(
            db.select(AttendeeCategory).where(AttendeeCategory.code == "early")
        ).scalar_one()
        assert (early.opens_at, early.closes_at) == (OPENS_UTC, CLOSES_UTC)


@pytest.mark.parametrize(
    ("now", "message"),
    [
        (OPENS_UTC - MINUTE, "Registration for “Early bird” opens on 1 June 2025 09:00."),
        (CLOSES_UTC, "Registration for “Early bird” has closed."),
        (CLOSES_UTC + timedelta(days=400), "Registration for “Early bird” has closed."),
    ],
)
def test_outside_the_window_the_service_refuses(app, conference_slug, now, message):
    with app.test_request_context("/?lang=en"):
        with pytest.raises(InvalidRegistration) as caught:
            register(_conference(), _data("ada@example.org"), now=now)
        assert caught.value.errors == {"category": [message]}
        assert db.session.execute(db.select(Registration)).first() is None


@pytest.mark.parametrize("now", [OPENS_UTC, CLOSES_UTC - MINUTE])
def test_inside_the_window_the_service_registers(app, conference_slug, now):
    with app.test_request_context("/?lang=en"):
        assert register(_conference(), _data("ada@example.org"), now=now).status == "confirmed"


def test_the_opening_date_is_given_in_chinese_too(app, conference_slug):
    with app.test_request_context("/?lang=zh"):
        with pytest.raises(InvalidRegistration) as caught:
            register(_conference(), _data("ada@example.org"), now=OPENS_UTC - MINUTE)
        assert "2025年6月1日 09:00" in caught.value.errors["category"][0]


def test_staff_at_the_desk_are_not_bound_by_the_window(app, conference_slug):
    with app.test_request_context("/?lang=en"):
        late = CLOSES_UTC + timedelta(days=9)
        registration = register(
            _conference(), _data("walkin@example.org"), source="desk", skip_questions=True, now=late
        )
        assert registration.status == "confirmed"
        assert registration.source == "desk"


def _move_window(app, opens_at=None, closes_at=None) -> None:
    with app.app_context():
        db.session.execute(
            db.update(AttendeeCategory)
            .where(AttendeeCategory.code == "early")
            .values(opens_at=opens_at, closes_at=closes_at)
        )
        db.session.commit()


def _early_option(client) -> lxml.html.HtmlElement:
    page = lxml.html.fromstring(client.get("/register?lang=en").get_data(as_text=True))
    return page.xpath("//select[@name='category']/option[@value='early']")[0]


def test_form_shows_a_category_not_open_yet_greyed_out_with_its_date(client, app, conference_slug):
    opens = utcnow() + timedelta(days=3)
    _move_window(app, opens_at=opens)
    option = _early_option(client)
    assert option.get("disabled") is not None
    assert option.text_content().startswith("Early bird (opens on ")
    assert f"{opens + timedelta(hours=8):%H:%M}" in option.text_content()
    # Sent anyway (an old page, a crafted request): refused on the category field.
    response = client.post("/register?lang=en", data=form_data(category="early"))
    assert response.status_code == 422
    page = lxml.html.fromstring(response.get_data(as_text=True))
    error = page.xpath("//*[@id='category-error']")[0].text_content()
    assert "Registration for “Early bird” opens on" in error


def test_form_shows_a_closed_category_greyed_out(client, app, conference_slug):
    _move_window(app, closes_at=utcnow() - timedelta(hours=1))
    option = _early_option(client)
    assert option.get("disabled") is not None
    assert option.text_content() == "Early bird (registration closed)"
    response = client.post("/register?lang=en", data=form_data(category="early"))
    assert response.status_code == 422


def test_form_offers_an_open_category_normally(client, app, conference_slug):
    _move_window(app, opens_at=utcnow() - timedelta(days=1), closes_at=utcnow() + timedelta(days=1))
    option = _early_option(client)
    assert option.get("disabled") is None and option.text_content() == "Early bird"
    assert client.post("/register?lang=en", data=form_data(category="early")).status_code == 303


def test_api_refuses_a_closed_category_with_a_problem(client, app, conference_slug):
    _move_window(app, closes_at=utcnow() - timedelta(seconds=5))
    response = client.post("/api/v1/registrations?lang=en", json=api_body(category="early"))
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert invalid_fields(response.get_json()) == {
        "category": ["Registration for “Early bird” has closed."]
    }
