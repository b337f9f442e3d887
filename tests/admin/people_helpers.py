"""Accounts for the back-office tests: log in as any role, read the mails in the outbox."""

from __future__ import annotations

import email
from email.policy import default

from conference.auth.service import create_or_update_user
from conference.extensions import db
from conference.models import OutboxMessage, User
from tests.conftest import PASSWORD


def account(app, address: str, role: str) -> int:
    with app.app_context():
        user, _ = create_or_update_user(address, PASSWORD, role)
        return user.id


def logged_in(app, address: str, role: str):
    """A new test client logged in to a new account with ``role``."""
    account(app, address, role)
    client = app.test_client()
    response = client.post("/login", data={"email": address, "password": PASSWORD})
    assert response.status_code == 302
    return client


def mails_to(app, address: str, kind: str | None = None) -> list[email.message.EmailMessage]:
    """The messages queued for ``address`` (of ``kind``), oldest first, parsed."""
    with app.app_context():
        statement = db.select(OutboxMessage).where(OutboxMessage.recipient == address)
        if kind:
            statement = statement.where(OutboxMessage.kind == kind)
        rows = db.session.execute(statement.order_by(OutboxMessage.id)).scalars().all()
        return [email.message_from_bytes(row.message, policy=default) for row in rows if row.message]


def user_id(app, address: str) -> int:
    with app.app_context():
        return db.session.execute(db.select(User.id).where(User.email == address)).scalar_one()
