"""Fixtures: ``app``, ``client``, ``runner``, the demo conference and a staff login.

The suite runs on SQLite by default and on PostgreSQL when ``TEST_DATABASE_URL`` is set
(``postgresql+psycopg://postgres@127.0.0.1:5432/test``); tables are created afresh for
every test and dropped afterwards.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conference import create_app
from conference.extensions import db

DEMO_FILE = Path(__file__).resolve().parent.parent / "conference" / "demo" / "hefei-smart-sensor-2024.yaml"
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")

pytest_plugins = ("tests.browser",)


def _database_uri(tmp_path: Path) -> str:
    return TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'test.sqlite'}"


def is_postgres(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


def make_app(tmp_path: Path, **overrides):
    config = {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SQLALCHEMY_DATABASE_URI": _database_uri(tmp_path),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": "localhost",
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture
def app_config() -> dict:
    """Override to change the app's configuration in one test module."""
    return {}


@pytest.fixture
def app(tmp_path, app_config):
    app = make_app(tmp_path, **app_config)
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def demo(app):
    """The demo conference, loaded from its data file; yields the Conference's slug."""
    from conference.programme.importer import import_programme

    with app.app_context():
        conference = import_programme(DEMO_FILE.read_text(encoding="utf-8"), str(DEMO_FILE))
        return conference.slug


PASSWORD = "correct horse battery"


def _account(app, email: str, role: str) -> tuple[str, str]:
    from conference.auth.service import create_or_update_user

    with app.app_context():
        create_or_update_user(email, PASSWORD, role)
    return email, PASSWORD


def _logged_in(client, account: tuple[str, str]):
    email, password = account
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def staff(app):
    """A staff account: (email, password)."""
    return _account(app, "door@example.org", "staff")


@pytest.fixture
def staff_client(client, staff):
    """A test client logged in as staff."""
    return _logged_in(client, staff)


@pytest.fixture
def organiser(app):
    """An organiser account: (email, password)."""
    return _account(app, "boss@example.org", "organiser")


@pytest.fixture
def organiser_client(client, organiser):
    """A test client logged in as an organiser."""
    return _logged_in(client, organiser)


postgres_only = pytest.mark.skipif(
    not (TEST_DATABASE_URL or "").startswith("postgresql"),
    reason="needs TEST_DATABASE_URL pointing at PostgreSQL",
)
