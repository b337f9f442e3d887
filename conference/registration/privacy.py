"""The person's rights over their data (PIPL / GDPR): download it, and erase it.

Erasing ends every active registration of the person and forgets their details in one
transaction: either all of it is stored, or none of it. What else holds the details goes
with it: the messages to the person in the outbox (recipient, subject and the whole mail,
answers included), then, once that is committed, the copies of those mails written to
``instance/outbox/`` and the bulk badge PDFs that may show the person's badge.
"""

from __future__ import annotations

from collections.abc import Callable

from ..badges.jobs import remove_print_files_showing
from ..extensions import db
from ..mail.outbox import forget_messages_to, remove_mail_files, send_queued
from ..models import Registration
from .lifecycle import ACTIVE_STATUSES, end, lock_what_may_move, queue_moved_up
from .lookups import same_address
from .questions import answers_by_code

ERASED_NAME = "—"


def _stored_about(registration: Registration) -> dict:
    """What one registration holds about its person."""
    return {
        "name": registration.name,
        "email": registration.email,
        "phone": registration.phone,
        "organisation": registration.organisation,
        "job_title": registration.job_title,
        "category": registration.category.code,
        "status": registration.status,
        "language": registration.language,
        "registered_at": registration.created_at.isoformat() + "Z",
        "consent_at": registration.consent_at.isoformat() + "Z"
        if registration.consent_at
        else None,
        "checked_in_at": (
            registration.checked_in_at.isoformat() + "Z" if registration.checked_in_at else None
        ),
        "sessions": [
            {"session": b.session.slug, "status": b.status} for b in registration.seat_bookings
        ],
        "answers": answers_by_code(registration),
    }


def personal_data(registration: Registration) -> dict:
    """Everything stored about the person, for "download my data" (PIPL / GDPR).

    The registrations the person made with the same address at the same conference
    before this one (and cancelled) come with it, under ``earlier_registrations``, in the
    same fields. One made after it is left out: the link of a cancelled registration does
    not show what its person registered with since.
    """
    return {
        "conference": registration.conference.slug,
        **_stored_about(registration),
        "earlier_registrations": [
            _stored_about(earlier)
            for earlier in same_address(registration)
            if earlier.id < registration.id
        ],
    }


def forget(registration: Registration) -> None:
    """Erase the personal fields of ``registration``; a badge it had stops working."""
    registration.name = ERASED_NAME
    registration.email = None
    registration.phone = None
    registration.organisation = None
    registration.job_title = None
    registration.answers.clear()
    registration.badge_version += 1


def forget_all(registrations: list[Registration]) -> Callable[[], None]:
    """``forget`` each registration and delete the mails to them, in the caller's
    transaction; returns what removes the files about them (the mails' copies in
    ``instance/outbox/``, bulk badge PDFs), to call once that is committed."""
    mails = forget_messages_to([each.id for each in registrations])
    for each in registrations:
        forget(each)

    def remove_files() -> None:
        remove_mail_files(mails)
        remove_print_files_showing(registrations)

    return remove_files


def erase_personal_data(registration: Registration) -> None:
    """Cancel (if still active) and erase the personal fields, in one transaction, and
    commit; counts stay right.

    Every registration of the conference made with the same e-mail address is erased
    with it — the person's earlier, cancelled registrations, or the one made after this
    one was cancelled: the same mailbox reaches them all. The rows, their category,
    status and seat history stay so head counts and waiting lists remain true; name,
    e-mail, phone, organisation, job title and every answer to the extra questions are
    gone for good. Choice answers go too: the registration is cancelled, so they no
    longer count for catering or anything else, and a dietary or accessibility choice
    can reveal health or religion.

    A place or seats freed go to the next in line as on cancelling, and those people are
    told; the erased person gets no cancellation message, as their address is gone.
    """
    everyone = [registration, *same_address(registration)]
    lock_what_may_move(everyone)
    told = {each.id for each in everyone}
    messages = []
    for each in everyone:
        if each.status in ACTIVE_STATUSES:
            messages += queue_moved_up(end(each, "cancelled"), told)
    remove_files = forget_all(everyone)
    db.session.commit()
    remove_files()
    send_queued(messages)
