"""/readyz: ready only when the database answers at the migrations' head and Redis, when
configured, answers; otherwise 503 saying what failed."""

from __future__ import annotations

from flask_migrate import stamp

from conference.extensions import db
from tests.conftest import make_app


def test_ready_when_the_database_is_at_head(app, client, schema_rebuilt_afterwards):
    with app.app_context():
        stamp(directory=str(app.extensions["migrate"].directory), revision="head")
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"ready": True, "failed": []}


def test_a_schema_behind_the_code_is_not_ready(app, client, schema_rebuilt_afterwards):
    with app.app_context():
        stamp(directory=str(app.extensions["migrate"].directory), revision="0007")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    [failed] = response.get_json()["failed"]
    assert failed["check"] == "database" and failed["reason"] == "migrations not at head"
    assert "at 0007" in failed["detail"]


def test_a_database_without_migrations_is_not_ready(app, client):
    with app.app_context():
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
    [failed] = client.get("/readyz").get_json()["failed"]
    assert failed["reason"] == "no migrations applied"


def test_an_unreachable_database_and_redis_are_both_named(tmp_path):
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none",
                   REDIS_URL="redis://127.0.0.1:1/0")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert [(f["check"], f["reason"]) for f in response.get_json()["failed"]] == [
        ("database", "unreachable"), ("redis", "unreachable")]


def test_a_reachable_redis_counts_as_ready(app, client, schema_rebuilt_afterwards):
    app.config["REDIS_URL"] = "redis://127.0.0.1:6379/0"
    with app.app_context():
        stamp(directory=str(app.extensions["migrate"].directory), revision="head")
    assert client.get("/readyz").status_code == 200
