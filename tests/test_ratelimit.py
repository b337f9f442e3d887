"""Rate limits hold where a view declares one, and an operator's default limit still
reaches every view, although views without a limit skip the limiter's work."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "app_config", [{"RATELIMIT_ENABLED": True, "REGISTRATION_RATE_LIMIT": "2/minute"}])
def test_registration_api_limit_answers_429_as_problem_json(client):
    answers = [client.post("/api/v1/registrations", json={}) for _ in range(3)]
    assert [a.status_code for a in answers] == [404, 404, 429]  # no conference yet, then 429
    assert answers[2].content_type == "application/problem+json"
    assert [client.get("/healthz").status_code for _ in range(3)] == [200, 200, 200]


@pytest.mark.parametrize(
    "app_config", [{"RATELIMIT_ENABLED": True, "RATELIMIT_DEFAULT": "2/minute"}])
def test_configured_default_limit_applies_to_views_that_declare_none(client):
    assert [client.get("/healthz").status_code for _ in range(3)] == [200, 200, 429]
