"""Inviting staff and organisers: an account without a usable password, and a mailed link
to set one.

The link is signed (``itsdangerous``, with the app's ``SECRET_KEY``), expires after
``INVITATION_MAX_AGE`` seconds and is good once: it carries a fingerprint of the account's
password hash, which setting the password changes. The same link serves a reset an
organiser sends later ("send the link again").
"""

from __future__ import annotations

import hashlib
import secrets

from flask import current_app, render_template
from flask_babel import force_locale, gettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.security import generate_password_hash

from .. import audit
from ..email_address import EmailNotValidError, normalise_email
from ..extensions import db
from ..mail.compose import public_url
from ..mail.direct import queue_composed
from ..mail.outbox import send_queued
from ..models import User
from .accounts import ROLE_WORDS, assignable_roles, may_manage
from .service import MIN_PASSWORD_LENGTH, AccountError

SALT = "set-password"


class LinkExpired(Exception):
    """A genuine link, but older than ``INVITATION_MAX_AGE``."""


class LinkInvalid(Exception):
    """Not a link this app made, or used already (the password was set since)."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fingerprint(account: User) -> str:
    return hashlib.sha256(account.password_hash.encode()).hexdigest()[:16]


def set_password_token(account: User) -> str:
    return _serializer().dumps([account.id, _fingerprint(account)])


def account_for_link(token: str) -> User:
    """The active account whose set-password link carries ``token``."""
    try:
        account_id, fingerprint = _serializer().loads(
            token, max_age=int(current_app.config["INVITATION_MAX_AGE"]))
    except SignatureExpired as exc:
        raise LinkExpired from exc
    except (BadSignature, ValueError, TypeError) as exc:
        raise LinkInvalid from exc
    account = db.session.get(User, account_id) if isinstance(account_id, int) else None
    if account is None or not account.active or _fingerprint(account) != fingerprint:
        raise LinkInvalid
    return account


def _queue_link(account: User, language: str, kind: str):
    """Queue the mail with the set-password link, in ``language``."""
    url = public_url("auth.set_password_page", token=set_password_token(account), lang=language)
    hours = int(current_app.config["INVITATION_MAX_AGE"]) // 3600
    with force_locale(language):
        subject = gettext("Your account for the conference back office")
        body = render_template("mail/invitation.txt", account=account, url=url, hours=hours,
                               role_words=ROLE_WORDS)
    return queue_composed(kind, account.email, account.email, subject, body)


def invite(actor: User, email: str, role: str, language: str) -> User:
    """Create an account with ``role`` and mail it the link to set its password; commit.

    Raises ``AccountError`` for an address that is not valid or has an account already,
    or a role ``actor`` may not give."""
    if role not in assignable_roles(actor):
        raise AccountError(gettext("You may not give this role."))
    try:
        email = normalise_email(email)
    except EmailNotValidError as exc:
        raise AccountError(gettext("This is not a valid e-mail address.")) from exc
    if db.session.execute(db.select(User.id).where(User.email == email)).first():
        raise AccountError(gettext("This address has an account already."))
    # Nobody knows this password: the account logs in once its person has set their own.
    account = User(email=email, role=role, active=True,
                   password_hash=_unusable_password())
    db.session.add(account)
    db.session.flush()
    audit.record("account.invite", target=account, summary=email, changes={"role": [None, role]})
    row = _queue_link(account, language, "invitation")
    db.session.commit()
    send_queued([row])
    return account


def send_link_again(actor: User, account: User, language: str) -> None:
    """Mail ``account`` a fresh link to set its password (its old links stop working)."""
    if not may_manage(actor, account):
        raise AccountError(gettext("You may not change this account."))
    account.set_password(secrets.token_urlsafe(32))  # also logs the account out everywhere
    audit.record("account.reset_link", target=account, summary=account.email)
    row = _queue_link(account, language, "password_link")
    db.session.commit()
    send_queued([row])


def _unusable_password() -> str:
    return generate_password_hash(secrets.token_urlsafe(32))


def set_password(account: User, password: str) -> None:
    """Set the password from a link and commit; the link is used up."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(gettext("The password needs at least %(num)d characters.",
                                   num=MIN_PASSWORD_LENGTH))
    account.set_password(password)
    audit.record("account.password_set", target=account, summary=account.email,
                 actor=account.email)
    db.session.commit()
