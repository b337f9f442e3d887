"""The door keeps working after the database dropped the app's idle connections.

A database restart or a firewall's idle timeout closes the connections that sit in the
app's pool. A connection that sat idle longer than ``DATABASE_PING_AFTER_IDLE`` is pinged
before use and replaced if dead; one reused sooner is not pinged (that saves a round trip
per request), which the last test pins down.
"""

from __future__ import annotations

import time
import uuid

import psycopg
import pytest
from sqlalchemy import text

from conference.extensions import db
from tests.conftest import TEST_DATABASE_URL

from .conftest import registration

pytestmark = pytest.mark.postgres  # drops connections with pg_terminate_backend

IDLE = 0.2


def drop_pooled_connections(app) -> int:
    """Close, on the server side, every connection the app's pool holds; how many."""
    with app.app_context():
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        db.session.remove()  # back into the pool, alive as far as the pool knows
    dsn = TEST_DATABASE_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as admin:
        dropped = admin.execute(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid = %s",
            (pid,),
        ).fetchone()[0]
    return dropped


def scan(scan_api, code: str):
    return scan_api({"code": code, "gate": "Gate A", "nonce": uuid.uuid4().hex, "type": "entry"})


@pytest.mark.parametrize("app_config", [{"DATABASE_PING_AFTER_IDLE": IDLE}])
def test_a_scan_after_the_database_dropped_an_idle_connection_is_admitted(app, register, scan_api):
    badge = register()
    assert drop_pooled_connections(app) == 1
    time.sleep(IDLE * 1.5)

    response = scan(scan_api, badge.code)

    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"
    assert registration(app, badge.registration_id).checked_in_at is not None


@pytest.mark.parametrize("app_config", [{"DATABASE_PING_AFTER_IDLE": IDLE}])
def test_healthz_after_the_database_dropped_an_idle_connection_answers_200(app, client):
    assert drop_pooled_connections(app) == 1
    time.sleep(IDLE * 1.5)

    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize("app_config", [{"DATABASE_PING_AFTER_IDLE": None}])
def test_control_without_the_ping_the_dropped_connection_fails_the_next_request(app, client):
    assert drop_pooled_connections(app) == 1
    time.sleep(IDLE * 1.5)

    assert client.get("/healthz").status_code == 503  # what the ping prevents
    assert client.get("/healthz").status_code == 200  # SQLAlchemy replaced it after the failure


@pytest.mark.parametrize("app_config", [{"DATABASE_PING_AFTER_IDLE": 60}])
def test_a_connection_reused_within_the_idle_window_is_not_pinged(app, client):
    assert drop_pooled_connections(app) == 1

    assert client.get("/healthz").status_code == 503


@pytest.mark.parametrize("app_config", [{"DATABASE_PING_AFTER_IDLE": None}])
def test_control_without_the_ping_a_scan_on_a_dropped_connection_is_503_then_admitted(
        app, register, scan_api):
    """What the ping prevents, seen at the door: the scan fails with a 503 (the scanner page
    then admits on the signature and queues it); the next one goes through."""
    badge = register()
    assert drop_pooled_connections(app) == 1

    refused = scan(scan_api, badge.code)
    assert refused.status_code == 503
    assert refused.content_type == "application/problem+json"
    assert registration(app, badge.registration_id).checked_in_at is None

    assert scan(scan_api, badge.code).get_json()["status"] == "ok"
