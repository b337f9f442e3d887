"""Organiser page: badges in bulk, rendered in the background with progress and download."""

from __future__ import annotations

from babel.lists import format_list
from flask import abort, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale, gettext, lazy_gettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from ..badges.bulk import SORTS, BadgeSelectionError, NothingSelected
from ..badges.jobs import (
    JOB_STATUS_WORDS,
    NOTHING_SELECTED,
    failure_reason,
    job_file,
    recent_jobs,
    start_badge_job,
)
from ..badges.layouts import LAYOUTS
from ..current import current_conference
from ..extensions import db
from ..i18n import current_language
from ..models import REGISTRATION_STATUSES, PrintJob
from ..registration.words import STATUS_WORDS
from . import bp
from .registrations import organiser_required

# Each badge language by its own name, as the language menu and the jobs table show it.
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}

SORT_LABELS = {
    "name": lazy_gettext("Name"),
    "organisation": lazy_gettext("Organisation"),
    "registered": lazy_gettext("Registration time"),
}


def _checkboxes(label, **kwargs) -> SelectMultipleField:
    """Several choices as a group of checkboxes (one tap or Space each, no Ctrl-click);
    the template sets them in a fieldset whose legend is ``label``."""
    return SelectMultipleField(label, widget=ListWidget(prefix_label=False),
                               option_widget=CheckboxInput(), **kwargs)


class BadgeJobForm(FlaskForm):
    layout = SelectField(lazy_gettext("Stock"), choices=[SelectChoice(c, l.label) for c, l in LAYOUTS.items()])
    categories = _checkboxes(lazy_gettext("Categories"), choices=[])
    statuses = _checkboxes(lazy_gettext("Status"),
                           choices=[SelectChoice(s, STATUS_WORDS[s]) for s in REGISTRATION_STATUSES],
                           default=["confirmed"])
    sort = SelectField(lazy_gettext("Sort by"), choices=[SelectChoice(s, SORT_LABELS[s]) for s in SORTS])
    # Badges in the language the organiser reads the page in, unless they choose otherwise.
    lang = SelectField(lazy_gettext("Language"),
                       choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
                       default=current_language)
    back = BooleanField(lazy_gettext("Print the backs too (sessions and Wi-Fi; long-edge duplex)"))


def _form(conference) -> BadgeJobForm:
    form = BadgeJobForm()
    form.categories.choices = [SelectChoice(c.code, c.t("name")) for c in conference.categories]
    return form


def _job(job_id: int) -> PrintJob:
    job = db.session.get(PrintJob, job_id)
    if job is None or job.conference_id != current_conference().id:
        abort(404)
    return job


@bp.route("/badges", methods=["GET", "POST"])
@organiser_required
def badges():
    conference = current_conference()
    form = _form(conference)
    form_error = None
    if form.validate_on_submit():
        try:
            job = start_badge_job(conference, form.layout.data, form.categories.data,
                                  form.statuses.data, form.sort.data, form.lang.data,
                                  back=form.back.data)
        except NothingSelected:
            form_error = str(NOTHING_SELECTED)
        except BadgeSelectionError as exc:
            form.categories.errors.append(str(exc))
        else:
            return redirect(url_for(".badges", job=job.id), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("admin/badges.html", form=form, form_error=form_error,
                           **_jobs_context(conference)), status


def _jobs_context(conference) -> dict:
    jobs = recent_jobs(conference)
    category_names = {c.code: c.t("name") for c in conference.categories}

    def job_categories(job: PrintJob) -> str:
        """The categories a job printed, by name, or "all categories"."""
        codes = [code for code in job.categories.split(",") if code]
        if not codes:
            return gettext("all categories")
        return format_list([category_names.get(code, code) for code in codes], locale=get_locale())

    return {
        "jobs": jobs,
        "running": any(job.status in ("queued", "running") for job in jobs),
        "layouts": LAYOUTS,
        "failure_reason": failure_reason,
        "job_status_words": JOB_STATUS_WORDS,
        "language_names": LANGUAGE_NAMES,
        "job_categories": job_categories,
    }


@bp.get("/badges/jobs")
@organiser_required
def badge_jobs():
    """The print jobs table alone: the page fetches it again while a job renders."""
    response = render_template("admin/_badge_jobs.html", **_jobs_context(current_conference()))
    return response, 200, {"Cache-Control": "no-store"}


@bp.get("/badges/jobs/<int:job_id>.json")
@organiser_required
def badge_job_status(job_id: int):
    job = _job(job_id)
    return jsonify(id=job.id, status=job.status, done=job.done, total=job.total,
                   pages=job.pages, error=failure_reason(job),
                   download=url_for(".badge_job_file", job_id=job.id)
                   if job.status == "done" else None)


@bp.get("/badges/jobs/<int:job_id>.pdf")
@organiser_required
def badge_job_file(job_id: int):
    job = _job(job_id)
    path = job_file(job)
    if job.status != "done" or not path.is_file():
        abort(404, description=gettext("This print job has no file (yet)."))
    return send_file(path, mimetype="application/pdf", as_attachment=True,
                     download_name=f"badges-{job.layout}-{job.id}.pdf", max_age=0)
