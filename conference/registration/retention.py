"""Retention: personal data is kept for ``RETENTION_DAYS`` after a conference ended, then
erased by ``flask purge-personal-data`` (run daily, see the README).

Purging forgets what erasing forgets (name, e-mail, phone, organisation, job title,
answers; ``privacy.forget``) and deletes the mails and bulk badge PDFs about the people,
but moves nothing: each registration keeps its category, status, registration time and
check-in time, and the scan log stays, so the counts per category, status and day and the
check-ins remain true. A conference is purged in one transaction; running it again finds
nothing left to erase.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import or_

from ..extensions import db
from ..models import Conference, Registration
from ..models.base import utcnow
from .privacy import ERASED_NAME, forget_all


def purge_date(conference: Conference) -> date:
    """The first day ``purge-personal-data`` erases the conference's registrations: the
    day after ``RETENTION_DAYS`` have passed since it ended."""
    return conference.ends_on + timedelta(days=int(current_app.config["RETENTION_DAYS"]) + 1)


def _not_erased(conference: Conference):
    return db.select(Registration).where(
        Registration.conference_id == conference.id,
        or_(Registration.email.is_not(None), Registration.name != ERASED_NAME),
    ).order_by(Registration.id)


@dataclass
class Purge:
    conference: Conference
    statuses: Counter  # registrations erased, per status (kept as they were)


def due(today: date | None = None) -> list[Conference]:
    """Conferences whose purge date has come, oldest first."""
    today = today or utcnow().date()
    return [
        conference
        for conference in db.session.execute(
            db.select(Conference).order_by(Conference.ends_on, Conference.id)
        ).scalars()
        if purge_date(conference) <= today
    ]


def purge(conference: Conference, *, dry_run: bool = False) -> Purge:
    """Erase the personal data of every registration of ``conference`` not erased yet,
    and commit (``dry_run``: only count them)."""
    registrations = list(db.session.execute(_not_erased(conference)).scalars())
    done = Purge(conference, Counter(r.status for r in registrations))
    if dry_run or not registrations:
        return done
    remove_files = forget_all(registrations)
    db.session.commit()
    remove_files()
    return done


@click.command("purge-personal-data")
@click.option("--dry-run", is_flag=True, help="Say what would be erased; change nothing.")
@with_appcontext
def purge_command(dry_run: bool) -> None:
    """Erase the personal data of conferences that ended more than RETENTION_DAYS ago
    (counts per category, status and day and the check-ins stay). Run it daily."""
    days = int(current_app.config["RETENTION_DAYS"])
    conferences = due()
    if not conferences:
        click.echo(f"No conference ended more than {days} days ago: nothing to erase.")
    for conference in conferences:
        done = purge(conference, dry_run=dry_run)
        total = sum(done.statuses.values())
        verb = "would erase" if dry_run else "erased"
        kept = ", ".join(f"{n} {status}" for status, n in sorted(done.statuses.items()))
        click.echo(
            f"{conference.slug} (ended {conference.ends_on.isoformat()}): {verb} the personal "
            f"data of {total} registration{'s' if total != 1 else ''}"
            + (f" ({kept}; statuses, categories, dates and check-ins kept)" if total else "")
        )
