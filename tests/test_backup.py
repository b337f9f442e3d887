"""Backup and restore: people register, the site is backed up and lost, a new install is
restored from the backup — and a badge issued before the backup scans in at the door."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from conference.checkin.service import check_in
from conference.extensions import db
from conference.models import Conference
from tests.conftest import make_app
from tests.people import new_badge


@pytest.fixture
def empty_database(app, tmp_path):
    """The address of a new, empty database of the same kind as the app's."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite'}"
        return
    name = f"restore_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _migrated(app) -> None:
    """The app's database as `flask db upgrade` leaves it (a backup carries its revision)."""
    from flask_migrate import stamp

    with app.app_context():
        stamp(directory=str(app.extensions["migrate"].directory), revision="head")


def test_a_badge_issued_before_the_backup_scans_in_after_the_restore(
        app, demo, runner, tmp_path, empty_database, schema_rebuilt_afterwards):
    _migrated(app)
    _, code = new_badge(app, "陈备份", "backup@example.org")
    instance = Path(app.instance_path)
    (instance / "uploads").mkdir(exist_ok=True)
    (instance / "uploads" / "photo.webp").write_bytes(b"RIFF demo image")
    secret = (instance / "secret_key").read_text()

    result = runner.invoke(args=["backup", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert "instance/badge_signing_key" in manifest["files"]
    assert "instance/uploads/photo.webp" in manifest["files"]
    assert manifest["revision"]

    # The site is lost; a new install has its own fresh keys and an empty database.
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.drop_all()
    fresh = make_app(tmp_path / "new-machine", SQLALCHEMY_DATABASE_URI=empty_database)
    result = fresh.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output

    restored = make_app(tmp_path / "new-machine", SQLALCHEMY_DATABASE_URI=empty_database)
    new_instance = Path(restored.instance_path)
    assert (new_instance / "secret_key").read_text() == secret
    assert (new_instance / "uploads" / "photo.webp").read_bytes() == b"RIFF demo image"
    with restored.app_context():
        scan = check_in(code, gate="North", nonce=None, scanned_by="test")
        assert scan.status == "ok"
        assert scan.registration.name == "陈备份"
        assert db.session.execute(text("SELECT version_num FROM alembic_version")).scalar() == \
            manifest["revision"]
        db.session.remove()
        db.engine.dispose()


def test_restore_refuses_a_database_that_holds_data(app, demo, runner, tmp_path):
    assert runner.invoke(args=["backup", str(tmp_path / "backup")]).exit_code == 0
    result = runner.invoke(args=["restore", str(tmp_path / "backup")])
    assert result.exit_code != 0
    assert "not empty" in result.output
    with app.app_context():
        assert db.session.execute(db.select(Conference)).scalar_one().slug == demo


def test_a_changed_or_incomplete_backup_is_refused(app, demo, runner, tmp_path, empty_database):
    assert runner.invoke(args=["backup", str(tmp_path / "backup")]).exit_code == 0
    (tmp_path / "backup" / "instance" / "secret_key").write_text("guessable")
    fresh = make_app(tmp_path / "other", SQLALCHEMY_DATABASE_URI=empty_database)
    result = fresh.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
    assert result.exit_code != 0
    assert "instance/secret_key is missing or changed" in result.output
    with fresh.app_context():
        from sqlalchemy import inspect

        assert inspect(db.engine).get_table_names() == []
        db.engine.dispose()


def test_backup_into_a_folder_that_holds_files_is_refused(app, runner, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    result = runner.invoke(args=["backup", str(tmp_path / "full")])
    assert result.exit_code != 0 and "not empty" in result.output
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]

