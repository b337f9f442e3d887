"""The audit log's writer: an entry is committed with the change it describes or not at
all, and names the account that acted."""

from __future__ import annotations

from conference import audit
from conference.extensions import db
from conference.models import AuditEntry, Room


def test_an_entry_goes_with_its_change_or_not_at_all(app, demo):
    with app.app_context():
        room = db.session.execute(db.select(Room)).scalars().first()
        before = {"name_en": room.name_en}
        room.name_en = "Renamed Hall"
        audit.record("room.update", target=room, summary="Renamed Hall",
                     changes=audit.changed_fields(before, {"name_en": room.name_en}))
        db.session.rollback()
        assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == 0

        room = db.session.execute(db.select(Room)).scalars().first()
        room.name_en = "Renamed Hall"
        audit.record("room.update", target=room,
                     changes=audit.changed_fields(before, {"name_en": "Renamed Hall"}))
        db.session.commit()
        entry = db.session.execute(db.select(AuditEntry)).scalar_one()
        assert (entry.actor, entry.kind, entry.target_type, entry.target_id) == (
            "cli", "room.update", "room", room.id)
        assert entry.changes == {"name_en": [before["name_en"], "Renamed Hall"]}


def test_the_signed_in_account_is_the_actor(app, organiser):
    email, _ = organiser
    with app.test_request_context():
        from flask_login import login_user

        from conference.models import User
        user = db.session.execute(db.select(User).where(User.email == email)).scalar_one()
        login_user(user)
        audit.record("account.invite", target=user, summary="invited")
        db.session.commit()
        entry = db.session.execute(db.select(AuditEntry)).scalar_one()
        assert (entry.user_id, entry.actor) == (user.id, email)


def test_unchanged_fields_are_left_out():
    assert audit.changed_fields({"a": 1, "b": "x"}, {"a": 1, "b": "y", "c": None}) == {"b": ["x", "y"]}
