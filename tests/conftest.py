"""Fixtures: ``app``, ``client``, ``runner``, the demo conference and a staff login.

The suite runs on SQLite by default and on PostgreSQL when ``TEST_DATABASE_URL`` is set
(``postgresql+psycopg://postgres@127.0.0.1:5432/test``). The schema is built once per run;
each test starts on an empty database, or on one holding the demo conference when it asks
for ``demo`` (see ``tests/database.py``). Tests that need PostgreSQL carry
``@pytest.mark.postgres`` and are skipped, with the reason, on SQLite.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest
import yaml

from conference import create_app
from conference.extensions import db
from tests.database import PostgresDatabase, SQLiteDatabases, build_schema, is_postgres_url

DEMO_FILE = Path(__file__).resolve().parent.parent / "conference" / "demo" / "hefei-smart-sensor-2024.yaml"
DEMO = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
"""The demo's programme file as data: counts in tests are read from here."""
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")

pytest_plugins = ("tests.browser", "tests.smtp")


def pytest_collection_modifyitems(config, items):
    if is_postgres_url(TEST_DATABASE_URL):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set TEST_DATABASE_URL to a PostgreSQL database")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


def _database_uri(tmp_path: Path) -> str:
    return TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'test.sqlite'}"


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


def _import_demo_in_app_context() -> None:
    from conference.programme.importer import import_programme

    import_programme(DEMO_FILE.read_text(encoding="utf-8"), str(DEMO_FILE))


def _import_demo(folder: Path, database_url: str) -> None:
    app = make_app(folder, SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        _import_demo_in_app_context()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    """Where each test's database comes from: built once per run."""
    folder = tmp_path_factory.mktemp("databases")
    import_demo = functools.partial(_import_demo, folder)
    if is_postgres_url(TEST_DATABASE_URL):
        source = PostgresDatabase(TEST_DATABASE_URL, import_demo)
    else:
        source = SQLiteDatabases(folder, import_demo)
    yield source
    source.close()


@pytest.fixture
def app(request, tmp_path, app_config, databases):
    """The app on a database of its own: empty, or holding the demo conference when the test
    uses the ``demo`` fixture (directly or through another fixture)."""
    database_url = databases.fresh(tmp_path / "test.sqlite", demo="demo" in request.fixturenames)
    app = make_app(tmp_path, **{"SQLALCHEMY_DATABASE_URI": database_url, **app_config})
    yield app
    from conference.registration.lookups import wait_for_link_requests

    wait_for_link_requests()  # a link asked for in the test is mailed within it, not the next
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def schema_rebuilt_afterwards(app):
    """For a test that drops or migrates the ``app``'s tables: the models' schema again
    afterwards, as the tests after it expect (on PostgreSQL they share the database)."""
    yield
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            build_schema(connection)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def demo(app) -> str:
    """The demo conference, imported from its data file into the ``app``'s database; the
    Conference's slug. The ``app`` fixture starts such a test on a copy of one import per
    run; asked for later (``request.getfixturevalue``), it is imported here."""
    from conference.models import Conference

    slug = DEMO["conference"]["slug"]
    with app.app_context():
        if db.session.execute(db.select(Conference.id).where(Conference.slug == slug)).first() is None:
            _import_demo_in_app_context()
        db.session.remove()
    return slug


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

