"""``flask purge-personal-data``: RETENTION_DAYS after a conference ended its registrations'
personal data is erased, the counts per category, status and day and the check-ins stay;
organisers see the date on their registrations page."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from conference.extensions import db
from conference.models import Conference, OutboxMessage, Registration
from conference.models.base import utcnow
from tests.registration.conference_data import api_body

API = "/api/v1/registrations"


def _end_conference(app, days_ago: int) -> None:
    with app.app_context():
        conference = db.session.execute(db.select(Conference)).scalar_one()
        conference.ends_on = utcnow().date() - timedelta(days=days_ago)
        conference.starts_on = conference.ends_on
        db.session.commit()


def _counts(app) -> tuple[Counter, Counter, list]:
    with app.app_context():
        rows = db.session.execute(db.select(Registration).order_by(Registration.id)).scalars().all()
        return (Counter((r.category.code, r.status, r.created_at.date()) for r in rows),
                Counter(r.checked_in_at is not None for r in rows),
                [(r.name, r.email, r.phone, r.organisation, len(r.answers)) for r in rows])


@pytest.fixture
def people(app, client, conference_slug):
    for n, category in enumerate(("delegate", "delegate", "expert", "student")):
        assert client.post(API, json=api_body(
            name=f"Person {n}", email=f"p{n}@example.org", category=category,
            phone="+86 551 1234 5678", answers={"access": "a ramp"})).status_code == 201
    with app.app_context():  # one of them came to the door
        first = db.session.execute(db.select(Registration).limit(1)).scalar_one()
        first.checked_in_at = utcnow()
        db.session.commit()


def test_nothing_is_erased_before_the_retention_period_is_over(app, runner, people):
    _end_conference(app, 180)  # ended exactly RETENTION_DAYS ago: kept one more day
    before = _counts(app)
    result = runner.invoke(args=["purge-personal-data"])
    assert result.exit_code == 0
    assert "nothing to erase" in result.output
    assert _counts(app) == before


def test_a_dry_run_says_what_would_go_and_changes_nothing(app, runner, people):
    _end_conference(app, 181)
    before = _counts(app)
    result = runner.invoke(args=["purge-personal-data", "--dry-run"])
    assert "would erase the personal data of 4 registrations" in result.output
    assert _counts(app) == before


def test_the_purge_erases_the_people_and_keeps_the_counts(app, runner, people):
    _end_conference(app, 181)
    categories_statuses_days, check_ins, _ = _counts(app)
    result = runner.invoke(args=["purge-personal-data"])
    assert result.exit_code == 0, result.output
    assert "erased the personal data of 4 registrations (3 confirmed, 1 pending" in result.output
    after = _counts(app)
    assert after[:2] == (categories_statuses_days, check_ins)
    assert set(after[2]) == {("—", None, None, None, 0)}
    with app.app_context():
        assert db.session.execute(db.select(OutboxMessage)).first() is None
    again = runner.invoke(args=["purge-personal-data"])
    assert "erased the personal data of 0 registrations" in again.output


def test_organisers_see_the_purge_date(app, organiser_client, conference_slug):
    _end_conference(app, -10)  # ends in ten days: erased 191 days from now
    html = organiser_client.get("/admin/registrations?lang=en").get_data(as_text=True)
    due = date.today() + timedelta(days=191)
    assert (f"will be erased on {due.day} {due:%B %Y}, 180 days after the conference ended"
            in html)
    chinese = organiser_client.get("/admin/registrations?lang=zh").get_data(as_text=True)
    assert f"{due.year}年{due.month}月{due.day}日" in chinese
