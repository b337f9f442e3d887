"""Statuses and kinds: the database itself refuses a value outside their set."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import CheckConstraint, inspect, text
from sqlalchemy.exc import IntegrityError

from conference.extensions import db
from conference.models import Registration, Session
from conference.programme.importer import import_programme

MINIMAL = Path(__file__).parent / "programme" / "minimal.yaml"


def _allowed(sqltext: str) -> list[str]:
    """The quoted values of an ``x IN ('a', 'b')`` check, however the database spells it."""
    return sorted(re.findall(r"'([^']*)'", sqltext))


def _model_checks() -> dict[str, dict[str, list[str]]]:
    return {
        table.name: {
            constraint.name: _allowed(str(constraint.sqltext))
            for constraint in table.constraints if isinstance(constraint, CheckConstraint)
        }
        for table in db.metadata.sorted_tables
    }


def _database_checks() -> dict[str, dict[str, list[str]]]:
    inspector = inspect(db.engine)
    return {
        table.name: {
            check["name"]: _allowed(check["sqltext"])
            for check in inspector.get_check_constraints(table.name)
        }
        for table in db.metadata.sorted_tables
    }


def _partial_index_definition() -> str:
    if db.engine.dialect.name == "postgresql":
        query = "SELECT indexdef FROM pg_indexes WHERE indexname = :name"
    else:
        query = "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :name"
    return db.session.execute(
        text(query), {"name": "uq_registration_conference_id_email_not_cancelled"}
    ).scalar_one()


def test_migrations_give_every_status_column_the_models_check(app, schema_rebuilt_afterwards):
    """compare_metadata does not look at CHECK constraints: this test does."""
    with app.app_context():
        expected = _model_checks()
        assert expected["registration"]["ck_registration_status"] == sorted(
            ["confirmed", "waitlisted", "pending", "cancelled", "rejected"]
        )
        assert _database_checks() == expected  # db.create_all()
        db.drop_all()
        upgrade()
        try:
            assert _database_checks() == expected
            # SQLite rebuilt the registration table: its partial unique index survived.
            assert "cancelled" in _partial_index_definition()
        finally:
            db.session.remove()
            db.drop_all()
            with db.engine.begin() as connection:
                connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_a_registration_with_a_typo_for_its_status_is_refused(app):
    with app.app_context():
        conference = import_programme(MINIMAL.read_text(encoding="utf-8"), "minimal.yaml")
        db.session.add(Registration(conference=conference, category=conference.categories[0],
                                    name="Ada", email="ada@example.org", status="confirmd"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        assert db.session.execute(db.select(db.func.count(Registration.id))).scalar_one() == 0


def test_a_session_kind_outside_the_list_is_refused_even_by_hand_written_sql(app):
    with app.app_context():
        import_programme(MINIMAL.read_text(encoding="utf-8"), "minimal.yaml")
        with pytest.raises(IntegrityError):
            db.session.execute(text("UPDATE session SET kind = 'keynot'"))
        db.session.rollback()
        assert db.session.execute(db.select(Session.kind)).scalar_one() == "keynote"
