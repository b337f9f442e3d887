"""Bulk badge jobs in the background: on the RQ queue ``print`` when ``REDIS_URL`` is set
(and the ``rq`` package installed), which ``rq worker print`` runs (see the README's
Production section), otherwise on a thread of the web process. Progress is written to the
job's row after every chunk; the PDF lands in ``<instance>/print-jobs/<id>.pdf``.

A failed job records why in its ``error``: one of the keys of ``FAILURES``, which the
organiser reads in their language; the details go to the log."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

from flask import Flask, current_app
from flask_babel import lazy_gettext
from sqlalchemy import or_

from ..extensions import db
from ..models import Conference, PrintJob
from ..models.base import utcnow
from .bulk import (
    DEFAULT_STATUSES,
    NothingSelected,
    find_conference,
    render_badges_to_file,
    select_registrations,
)
from .layouts import LAYOUTS

# A job's status as the organiser reads it.
JOB_STATUS_WORDS = {
    "queued": lazy_gettext("Waiting to start"),
    "running": lazy_gettext("Rendering…"),
    "done": lazy_gettext("Done"),
    "failed": lazy_gettext("Failed"),
}

NOTHING_SELECTED = lazy_gettext("No registration matches this selection: there are no badges "
                                "to print.")
FAILURES = {
    "nothing-selected": NOTHING_SELECTED,
    "file": lazy_gettext("The PDF file could not be written on the server (is its disk "
                         "full?)."),
    "render": lazy_gettext("The badges could not be laid out; the server's log has the "
                           "details."),
    "queue": lazy_gettext("The print queue could not be reached; try again in a moment."),
}


def failure_reason(job: PrintJob) -> str | None:
    """Why ``job`` failed, for the organiser (None when it did not fail)."""
    if not job.error:
        return None
    return str(FAILURES.get(job.error, FAILURES["render"]))


def _failure(exc: Exception) -> str:
    if isinstance(exc, NothingSelected):
        return "nothing-selected"
    if isinstance(exc, OSError | subprocess.CalledProcessError):
        return "file"
    return "render"


def job_file(job: PrintJob) -> Path:
    return Path(current_app.instance_path) / "print-jobs" / f"{job.id}.pdf"


def remove_print_files_showing(registrations: list) -> int:
    """Delete the PDF of every finished print job that may show one of these
    registrations' badges (finished since the registration was made, with its category among the
    job's, or all categories): their people asked to be forgotten. Its download then
    answers 404, and the organiser prints again. How many files went."""
    if not registrations:
        return 0
    first = min(registration.created_at for registration in registrations)
    codes = {registration.category.code for registration in registrations}
    jobs = db.session.execute(
        db.select(PrintJob).where(
            PrintJob.conference_id.in_({r.conference_id for r in registrations}),
            or_(PrintJob.finished_at.is_(None), PrintJob.finished_at >= first),
        )
    ).scalars()
    removed = 0
    for job in jobs:
        chosen = {code for code in job.categories.split(",") if code}
        path = job_file(job)
        if (not chosen or chosen & codes) and path.exists():
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def start_badge_job(conference: Conference, layout: str, categories: list[str],
                    statuses: list[str], sort: str, lang: str, back: bool = False) -> PrintJob:
    """Check the filters, record a job and hand it to the background runner.

    Raises ``BadgeSelectionError`` for an unknown category or sort, ``NothingSelected``
    when the filters match nobody; no job is recorded then."""
    registrations = select_registrations(conference, categories,
                                         statuses or DEFAULT_STATUSES, sort)
    if not registrations:
        raise NothingSelected()
    job = PrintJob(
        conference_id=conference.id, layout=layout, back=back,
        lang=lang, sort=sort,
        categories=",".join(categories), statuses=",".join(statuses or DEFAULT_STATUSES),
        total=len(registrations),
    )
    db.session.add(job)
    db.session.commit()
    try:
        _enqueue(current_app._get_current_object(), job.id)
    except Exception:  # Redis away: the job would wait for ever; it fails now, saying why
        current_app.logger.exception("print job %s could not be queued", job.id)
        job.status, job.error, job.finished_at = "failed", "queue", utcnow()
        db.session.commit()
    return job


def _enqueue(app: Flask, job_id: int) -> None:
    redis_url = app.config["REDIS_URL"]
    if redis_url:
        try:
            from redis import Redis
            from rq import Queue
        except ImportError:
            app.logger.warning("REDIS_URL is set but rq is not installed; using a thread")
        else:
            Queue("print", connection=Redis.from_url(redis_url)).enqueue(
                run_badge_job_standalone, job_id, job_timeout=3600
            )
            return
    threading.Thread(target=_run_in_app, args=(app, job_id), daemon=True,
                     name=f"print-job-{job_id}").start()


def run_badge_job_standalone(job_id: int) -> None:
    """Run by ``rq worker print``: builds the app as an app server does (the environment,
    then ``instance/config.py``)."""
    from .. import create_app

    _run_in_app(create_app(), job_id)


def _run_in_app(app: Flask, job_id: int) -> None:
    with app.test_request_context("/"):  # templates and locale need a request context
        run_badge_job(job_id)


def run_badge_job(job_id: int) -> None:
    """Render the job's badges, recording progress; marks it done or failed."""
    job = db.session.get(PrintJob, job_id)
    if job is None:
        return
    job.status = "running"
    db.session.commit()

    def progress(done: int, total: int) -> None:
        job.done, job.total = done, total
        db.session.commit()

    try:
        conference = db.session.get(Conference, job.conference_id) or find_conference(None)
        registrations = select_registrations(
            conference, [c for c in job.categories.split(",") if c],
            [s for s in job.statuses.split(",") if s], job.sort,
        )
        job.pages = render_badges_to_file(registrations, job.lang, LAYOUTS[job.layout],
                                          job_file(job), progress=progress, back=job.back)
        job.status = "done"
    except Exception as exc:  # recorded on the job for the organiser to see
        db.session.rollback()
        job = db.session.get(PrintJob, job_id)
        job.status, job.error = "failed", _failure(exc)
        detail = getattr(exc, "stderr", None)  # what pdfunite said
        current_app.logger.exception("print job %s failed%s", job_id,
                                     f": {detail!r}" if detail else "")
    job.finished_at = utcnow()
    db.session.commit()
    db.session.remove()


def recent_jobs(conference: Conference, limit: int = 20) -> list[PrintJob]:
    return list(db.session.execute(
        db.select(PrintJob).where(PrintJob.conference_id == conference.id)
        .order_by(PrintJob.id.desc()).limit(limit)
    ).scalars())
