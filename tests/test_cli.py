"""Account and device commands."""

from __future__ import annotations

from conference.auth.service import authenticate, device_for_token
from conference.extensions import db
from conference.models import DeviceToken, User


def test_create_user_then_log_in(runner, app):
    result = runner.invoke(args=["create-user", "Door@Example.org", "--role", "staff",
                                 "--password", "a long password"])
    assert result.exit_code == 0, result.output
    assert "Created staff door@example.org" in result.output
    with app.app_context():
        assert authenticate("door@example.org", "a long password").role == "staff"
        assert authenticate("door@example.org", "wrong password") is None


def test_create_user_again_updates_role_and_password(runner, app):
    runner.invoke(args=["create-user", "a@example.org", "--password", "first password"])
    result = runner.invoke(args=["create-user", "a@example.org", "--role", "organiser",
                                 "--password", "second password"])
    assert "Updated organiser" in result.output
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(User.id))).scalar_one() == 1
        assert authenticate("a@example.org", "second password").role == "organiser"


def test_create_user_refuses_bad_input_with_a_message(runner, app):
    result = runner.invoke(args=["create-user", "not-an-email", "--password", "long enough pw"])
    assert result.exit_code != 0 and "not a valid e-mail" in result.output
    result = runner.invoke(args=["create-user", "b@example.org", "--password", "short"])
    assert result.exit_code != 0 and "at least 8 characters" in result.output
    result = runner.invoke(args=["create-user", "b@example.org", "--role", "king",
                                 "--password", "long enough pw"])
    assert result.exit_code != 0
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(User.id))).scalar_one() == 0


def test_create_device_token_prints_the_token_alone_on_the_last_line(runner, app):
    result = runner.invoke(args=["create-device-token", "Gate A phone"])
    assert result.exit_code == 0
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("dev_") and " " not in token
    with app.app_context():
        device = device_for_token(token)
        assert device is not None and device.name == "Gate A phone"
        stored = db.session.execute(db.select(DeviceToken.token_hash)).scalar_one()
        assert token not in stored  # only a hash is kept
        assert device_for_token(token + "x") is None
