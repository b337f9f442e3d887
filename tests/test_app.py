"""The application as a whole: configuration, health check, error answers, migrations."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import inspect, text

from conference.extensions import db
from tests.conftest import make_app


def test_healthz_answers_plain_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == "ok\n"


def test_healthz_reports_a_dead_database_as_503(tmp_path):
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503


def test_a_dead_database_answers_503_with_retry_after_on_pages_and_the_api(tmp_path):
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none")
    client = app.test_client()

    page = client.get("/")
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "5"
    assert "try again in a moment" in page.get_data(as_text=True).lower()

    scan = client.post("/api/v1/checkin", json={"code": "X"},
                       headers={"Authorization": "Bearer dev_some-device"})
    assert scan.status_code == 503
    assert scan.content_type == "application/problem+json"
    assert scan.headers["Retry-After"] == "5"
    assert scan.get_json()["title"] == "Service Unavailable"


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = make_app(tmp_path).config["SECRET_KEY"]
    second = make_app(tmp_path).config["SECRET_KEY"]
    assert len(first) >= 32
    assert first == second
    assert (tmp_path / "instance" / "secret_key").read_text() == first
    assert make_app(tmp_path / "other").config["SECRET_KEY"] != first


def test_instance_config_file_overrides_defaults(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "config.py").write_text("DEFAULT_CONFERENCE = 'my-event'\n")
    app = make_app(tmp_path)
    assert app.config["DEFAULT_CONFERENCE"] == "my-event"


def test_database_url_from_the_environment_selects_postgresql(tmp_path, monkeypatch):
    from conference import create_app

    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    monkeypatch.delenv("DATABASE_URL")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'conference.sqlite'}"


def test_unknown_api_route_is_problem_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert response.get_json()["status"] == 404


def test_api_rejects_wrong_method_as_problem_json(client):
    response = client.delete("/api/v1/checkin")
    assert response.status_code == 405
    assert response.content_type == "application/problem+json"


def test_migrations_build_exactly_the_models_schema(app, schema_rebuilt_afterwards):
    """`flask db upgrade` on an empty database gives the tables the models describe."""
    with app.app_context():
        db.drop_all()
        upgrade()
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert diff == []
        assert "registration" in inspect(db.engine).get_table_names()


def _registration_fillfactor() -> str | None:
    options = db.session.execute(
        text("SELECT reloptions FROM pg_class WHERE oid = 'registration'::regclass")
    ).scalar_one()
    return dict(option.split("=") for option in options or ()).get("fillfactor")


@pytest.mark.postgres
def test_registration_pages_keep_room_for_check_in_on_postgresql(app, schema_rebuilt_afterwards):
    """Both the models and the migrations leave room in the registration table's pages, so
    that a check-in writes no new index entries (compare_metadata cannot see this)."""
    with app.app_context():
        assert _registration_fillfactor() == "90"
        db.drop_all()
        upgrade()
        assert _registration_fillfactor() == "90"


def test_the_wsgi_entry_point_keeps_start_up_objects_out_of_full_collections(tmp_path):
    """A full garbage collection in a gunicorn worker walks every tracked object; the
    hundreds of thousands that start-up loads are frozen, so it walks only what requests
    left behind (a pause of about 0.1 s otherwise, answering nobody meanwhile)."""
    probe = (
        "import gc, wsgi; "
        "print(gc.get_freeze_count(), len(gc.get_objects()), "
        "wsgi.app.test_client().get('/healthz').status_code)"
    )
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'probe.sqlite'}",
        "SECRET_KEY": "probe",
        "BADGE_SIGNING_KEY": "11" * 32,
    }
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=Path(__file__).resolve().parents[1], env=env,
        capture_output=True, text=True, timeout=120, check=True,
    )
    frozen, still_collected, healthz = (int(n) for n in result.stdout.split())
    assert healthz == 200
    assert frozen > 100_000
    assert still_collected < frozen / 20
