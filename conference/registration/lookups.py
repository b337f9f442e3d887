"""Finding registrations: by e-mail address, the same person's other registrations, the
cancelled one whose person may register again; and mailing the manage link again. (By
manage token: ``models.registration.find_by_token``, which badges use too.)"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import case

from ..email_address import EmailNotValidError, normalise_email
from ..extensions import db
from ..mail.outbox import enqueue
from ..models import Conference, OutboxMessage, Registration
from ..models.base import utcnow
from ..models.registration import ADDRESS_FREEING_STATUS, find_by_token, may_register_again
from .validation import MAX_LENGTHS, clean_text

log = logging.getLogger(__name__)

# At most one manage-link mail per registration in this time, however often it is asked.
RESEND_INTERVAL = timedelta(minutes=10)

# Orders the registrations made with one address: the one holding it first (there is at
# most one, see ``models.registration``), then the cancelled ones, latest first.
ADDRESS_ORDER = (
    case((Registration.status == ADDRESS_FREEING_STATUS, 1), else_=0),
    Registration.id.desc(),
)


def find_by_email(
    conference: Conference, email: str, *, or_cancelled: bool = False
) -> Registration | None:
    """The registration of ``conference`` that holds ``email`` (as stored: normalised),
    that is the one not cancelled; None when there is none.

    With ``or_cancelled``, when nobody holds the address, the registration with it that was
    cancelled last (the person cancelled and did not register again).
    """
    query = db.select(Registration).where(
        Registration.conference_id == conference.id, Registration.email == email
    )
    if not or_cancelled:
        query = query.where(Registration.status != ADDRESS_FREEING_STATUS)
    return db.session.execute(query.order_by(*ADDRESS_ORDER).limit(1)).scalar_one_or_none()


def to_register_again(conference: Conference, token: str) -> Registration | None:
    """The cancelled registration of ``conference`` whose manage link carries ``token``
    and whose person may register again (``may_register_again``): its details start the
    new registration. None for any other token."""
    registration = find_by_token(token)
    if (
        registration is None
        or registration.conference_id != conference.id
        or not may_register_again(registration)
    ):
        return None
    return registration


def same_address(registration: Registration) -> list[Registration]:
    """The other registrations of ``registration``'s conference made with its e-mail
    address, oldest first: the same person, who registered again after cancelling (or
    cancelled again); none once its personal data was erased."""
    if registration.email is None:
        return []
    return list(
        db.session.execute(
            db.select(Registration)
            .where(
                Registration.conference_id == registration.conference_id,
                Registration.email == registration.email,
                Registration.id != registration.id,
            )
            .order_by(Registration.id)
        ).scalars()
    )


# Asking for the manage link again: whether the address is registered decides whether a
# message is queued (a write and a commit) and sent (a mail server's time). Done while
# the asker waits, either would tell them who registered; so the request hands every
# address alike to this small pool and answers at once (``request_manage_link``).
_LINK_REQUESTS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="resend-link")
_PENDING: set[Future] = set()
# Longest wait for the answer to be sent before the work starts anyway (a server that
# never closes its responses, as the test client).
ANSWER_SENT_WAIT = 0.2


def request_manage_link(conference: Conference, email: str) -> Callable[[], None]:
    """``resend_manage_link`` off the request path, for any address alike: the request
    costs the same, and answers as fast, whether the address is registered or not.

    The work waits until the returned function is called — the response's
    ``call_on_close``, once the server has sent the answer — and at most
    ``ANSWER_SENT_WAIT`` seconds."""
    app = current_app._get_current_object()
    answered = threading.Event()
    future = _LINK_REQUESTS.submit(_resend_in_app, app, conference.id, email, answered)
    _PENDING.add(future)
    future.add_done_callback(_PENDING.discard)
    return answered.set


def _resend_in_app(app: Flask, conference_id: int, email: str, answered: threading.Event) -> None:
    answered.wait(ANSWER_SENT_WAIT)
    with app.app_context():
        try:
            conference = db.session.get(Conference, conference_id)
            if conference is not None:
                resend_manage_link(conference, email)
        except Exception:  # a thread of its own: nobody else would hear of it
            log.exception("the manage link could not be queued")
        finally:
            db.session.remove()


def wait_for_link_requests(timeout: float = 30) -> None:
    """Until the link requests handed over so far are done (tests, and shutting down)."""
    wait(list(_PENDING), timeout=timeout)


def resend_manage_link(conference: Conference, email: str) -> None:
    """Mail the manage link to ``email`` if it is registered; say nothing either way.

    The link is that of the registration holding the address (the one not cancelled);
    when every registration with it was cancelled, that of the one cancelled last, whose
    page says so and offers to register again.
    """
    try:
        address = normalise_email(clean_text(email)[: MAX_LENGTHS["email"]])
    except EmailNotValidError:
        return
    registration = find_by_email(conference, address, or_cancelled=True)
    if registration is not None and not _link_mailed_recently(registration):
        enqueue(registration, "manage_link")


def _link_mailed_recently(registration: Registration) -> bool:
    """Whether the manage link was queued for ``registration`` within ``RESEND_INTERVAL``."""
    return db.session.execute(
        db.select(OutboxMessage.id).where(
            OutboxMessage.registration_id == registration.id,
            OutboxMessage.kind == "manage_link",
            OutboxMessage.created_at >= utcnow() - RESEND_INTERVAL,
        ).limit(1)
    ).first() is not None
