"""Queue messages in the outbox table and deliver them: SMTP, or files when no server.

A message is queued in the caller's transaction, beside the change it is about, so both
are committed or neither is; it is composed and sent only after that commit, so a failing
mail server or template never costs a registration.
Delivery retries with growing pauses until ``MAIL_MAX_ATTEMPTS``; ``flask send-mail``
(or ``deliver_due``) sends what is due. A message that cannot be composed or sent costs an
attempt of its own and never holds up the others.
"""

from __future__ import annotations

import logging
import smtplib
import time
from datetime import datetime, timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..deployment import sends_mail_inline
from ..extensions import db
from ..models import OutboxMessage, Registration, Session
from ..models.base import utcnow
from .address import Undeliverable, recipient
from .announcement import announcement_id, compose_announcement
from .compose import compose, to_bytes

log = logging.getLogger(__name__)

FIRST_PAUSE = timedelta(seconds=30)


def queue(registration: Registration, kind: str, session_id: int | None = None
          ) -> OutboxMessage | None:
    """Add the message of ``kind`` for ``registration`` to the caller's transaction; a
    message about a change to one session (moved, cancelled…) names it."""
    if not registration.email:
        return None
    row = OutboxMessage(registration_id=registration.id, kind=kind, recipient=registration.email,
                        session_id=session_id)
    db.session.add(row)
    return row


def send_queued(rows: list[OutboxMessage | None]) -> None:
    """After the commit: deliver ``rows`` at once when mail is sent inline
    (``deployment.sends_mail_inline``: one process serves, or ``MAIL_SEND_INLINE``).

    Never raises; what fails stays in the outbox for ``flask send-mail``.
    """
    if not sends_mail_inline(current_app):
        return
    for row in rows:
        if row is None:
            continue
        try:
            deliver(row)
        except Exception:
            db.session.rollback()
            log.exception("mail %s could not be delivered", row.id)


def enqueue(registration: Registration, kind: str) -> OutboxMessage | None:
    """Queue one message on its own, commit, and send it when inline sending is on."""
    row = queue(registration, kind)
    db.session.commit()
    send_queued([row])
    return row


def _compose_once(row: OutboxMessage) -> None:
    if row.message is not None:
        return
    registration = (
        db.session.get(Registration, row.registration_id) if row.registration_id else None
    )
    if registration is None or not registration.email:
        raise Undeliverable("the registration is gone or its personal data was erased")
    if announcement_id(row.kind) is not None:
        message = compose_announcement(registration, row.kind)
    else:
        session = db.session.get(Session, row.session_id) if row.session_id else None
        message = compose(registration, row.kind, session)
    row.recipient = registration.email
    row.subject = str(message["Subject"])[:300]
    row.message = to_bytes(message, smtputf8=recipient(registration.email).needs_smtputf8)


def _send_smtp(row: OutboxMessage) -> None:
    config = current_app.config
    port = int(config["MAIL_PORT"])
    timeout = float(config["MAIL_TIMEOUT"])
    use_ssl = str(config["MAIL_USE_SSL"]).lower() in ("1", "true", "yes")
    smtp_class = smtplib.SMTP_SSL if use_ssl else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], port, timeout=timeout) as smtp:
        if str(config["MAIL_USE_TLS"]).lower() in ("1", "true", "yes"):
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        to = recipient(row.recipient)
        smtp.ehlo_or_helo_if_needed()
        options = []
        if to.needs_smtputf8:
            if not smtp.has_extn("smtputf8"):
                raise Undeliverable(
                    "the mail server does not take this address: the part before the @"
                    " is not ASCII, which needs SMTPUTF8, and the server does not offer it"
                )
            options.append("SMTPUTF8")
        if smtp.has_extn("8bitmime") and not row.message.isascii():
            options.append("BODY=8BITMIME")
        sender = config["MAIL_SENDER"]
        smtp.sendmail(sender, [to.address], row.message, mail_options=options)


def _outbox_folder() -> Path:
    return Path(current_app.instance_path) / "outbox"


def _write_file(row: OutboxMessage) -> Path:
    folder = _outbox_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{row.created_at:%Y%m%dT%H%M%S}-{row.id}-{row.kind}.eml"
    path.write_bytes(row.message)
    log.info("mail %s written to %s (no MAIL_SERVER set)", row.id, path)
    return path


def forget_messages_to(registration_ids: list[int]) -> list[int]:
    """Delete, in the caller's transaction, every message to these registrations, sent or
    not (recipient, subject and the mail itself hold the person's details); their ids."""
    if not registration_ids:
        return []
    return list(db.session.execute(
        db.delete(OutboxMessage)
        .where(OutboxMessage.registration_id.in_(registration_ids))
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session="fetch")
    ).scalars())


def remove_mail_files(message_ids: list[int]) -> None:
    """Delete the copies of these messages written to ``instance/outbox/`` (no
    ``MAIL_SERVER``); after the commit that deleted their rows."""
    folder = _outbox_folder()
    for message_id in message_ids:
        for path in folder.glob(f"*-{message_id}-*.eml"):
            path.unlink(missing_ok=True)


def _give_up(row: OutboxMessage, reason: Undeliverable) -> bool:
    row.status, row.last_error = "failed", str(reason)[:2000]
    log.warning("mail %s failed for good: %s", row.id, reason)
    db.session.commit()
    return False


def _try_later(row: OutboxMessage, error: Exception) -> bool:
    row.attempts += 1
    row.last_error = repr(error)[:2000]
    if row.attempts >= int(current_app.config["MAIL_MAX_ATTEMPTS"]):
        row.status = "failed"
    row.next_attempt_at = utcnow() + FIRST_PAUSE * 2 ** (row.attempts - 1)
    log.warning("mail %s not sent (attempt %d): %s", row.id, row.attempts, error)
    db.session.commit()
    return False


def deliver(row: OutboxMessage) -> bool:
    """Try to deliver one queued message now and commit the outcome.

    Whatever goes wrong costs this message an attempt, retried after a growing pause;
    what no retry can mend (``Undeliverable``) fails at once.
    """
    try:
        _compose_once(row)
    except Undeliverable as exc:
        db.session.rollback()
        return _give_up(row, exc)
    except Exception as exc:
        db.session.rollback()
        log.exception("mail %s (%s) could not be composed", row.id, row.kind)
        return _try_later(row, exc)
    try:
        if current_app.config["MAIL_SERVER"]:
            _send_smtp(row)
        else:
            _write_file(row)
    except Undeliverable as exc:
        return _give_up(row, exc)
    except (OSError, smtplib.SMTPException) as exc:
        return _try_later(row, exc)
    except Exception as exc:
        log.exception("mail %s could not be sent", row.id)
        return _try_later(row, exc)
    row.attempts += 1
    row.status = "sent"
    row.sent_at = utcnow()
    row.last_error = None
    db.session.commit()
    return True


def deliver_due(now: datetime | None = None, limit: int = 500) -> tuple[int, int]:
    """Send pending messages whose time has come; (sent, still pending or failed)."""
    due = (
        db.session.execute(
            db.select(OutboxMessage)
            .where(
                OutboxMessage.status == "pending",
                OutboxMessage.next_attempt_at <= (now or utcnow()),
            )
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        .scalars()
        .all()
    )
    sent = 0
    for row in due:
        row_id = row.id
        try:
            if deliver(row):
                sent += 1
        except Exception:  # e.g. the outcome could not be committed: the others still go
            db.session.rollback()
            log.exception("mail %s could not be delivered", row_id)
    return sent, len(due) - sent


@click.command("send-mail")
@click.option(
    "--now", "right_away", is_flag=True, help="Also retry messages whose pause is not over."
)
@click.option(
    "--every",
    type=click.FloatRange(min=0.5),
    default=None,
    help="Keep running: look for due messages every this many seconds.",
)
@with_appcontext
def send_mail_command(right_away: bool, every: float | None) -> None:
    """Send the e-mails waiting in the outbox."""
    while True:
        when = utcnow() + timedelta(days=365) if right_away else None
        try:
            sent, left = deliver_due(when)
        except Exception:  # e.g. the database is away: the standing sender tries again
            if every is None:
                raise
            log.exception("sending mail failed; next try in %s s", every)
            sent = left = 0
        finally:
            db.session.remove()
        if every is None:
            click.echo(f"sent {sent}, not sent {left}")
            return
        if sent or left:
            click.echo(f"sent {sent}, not sent {left}")
        time.sleep(every)
