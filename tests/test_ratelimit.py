"""Rate limits hold where a view declares one, and an operator's default limit still
reaches every view, although views without a limit skip the limiter's work."""

from __future__ import annotations

from contextlib import contextmanager

from conference.extensions import db
from tests.conftest import make_app


@contextmanager
def client_of(tmp_path, **config):
    app = make_app(tmp_path, RATELIMIT_ENABLED=True, **config)
    with app.app_context():
        db.create_all()
    try:
        yield app.test_client()
    finally:
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def test_registration_api_limit_answers_429_as_problem_json(tmp_path):
    with client_of(tmp_path, REGISTRATION_RATE_LIMIT="2/minute") as client:
        answers = [client.post("/api/v1/registrations", json={}) for _ in range(3)]
        assert [a.status_code for a in answers] == [404, 404, 429]  # no conference yet, then 429
        assert answers[2].content_type == "application/problem+json"
        assert [client.get("/healthz").status_code for _ in range(3)] == [200, 200, 200]


def test_configured_default_limit_applies_to_views_that_declare_none(tmp_path):
    with client_of(tmp_path, RATELIMIT_DEFAULT="2/minute") as client:
        assert [client.get("/healthz").status_code for _ in range(3)] == [200, 200, 429]
