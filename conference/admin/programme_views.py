"""Organiser pages of the programme: the agenda with its clashes, a list, a form and the
delete (or cancel) button for each kind of item, and the conference's settings.

Views stay thin: each parses the form, calls one editing service, commits and sends the
e-mails of its outcome (``editing.finish``), and shows what the service refused on the
form — a clash naming the other session with a "save despite the clash" box, a stale
version as "changed meanwhile", bad values on their fields.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_wtf import FlaskForm

from ..current import current_conference
from ..extensions import db
from ..models import Conference
from ..programme import editing
from ..programme.clashes import standing_clashes
from ..programme.edit_errors import ClashRefused, EditRefused, InUse, Invalid, Stale
from ..public.service import programme_sessions
from ..registration.search import MAX_QUERY_LENGTH
from ..uploads import BadImage, store_image
from . import bp
from .programme_forms import ConferenceForm
from .programme_kinds import KINDS, MAX_ROWS, SORT_WORDS, Kind
from .registrations import organiser_required


class ButtonForm(FlaskForm):
    """Only the CSRF token (and the version the page showed) behind a button."""


def _room_for_an_image() -> None:
    """A form with an image may be larger than others: UPLOAD_MAX_BYTES and the text
    around it. Set before anything reads the body (the CSRF check does, first of all)."""
    args = request.view_args or {}
    if request.endpoint in ("admin.programme_new", "admin.programme_edit") and \
            getattr(KINDS.get(args.get("kind_name")), "image", None):
        request.max_content_length = (current_app.config["UPLOAD_MAX_BYTES"]
                                      + current_app.config["MAX_CONTENT_LENGTH"])


@bp.record_once
def _before_the_body_is_read(state) -> None:
    state.app.before_request_funcs.setdefault(None, []).insert(0, _room_for_an_image)


def _kind(name: str) -> Kind:
    kind = KINDS.get(name)
    if kind is None:
        abort(404)
    return kind


def _item(kind: Kind, item_id: int):
    item = db.session.get(kind.model, item_id)
    if item is None or item.conference_id != current_conference().id:
        abort(404)
    return item


def _read_version() -> int | None:
    try:
        return int(request.form.get("version", ""))
    except ValueError:
        return None


@bp.get("/programme")
@organiser_required
def programme_agenda():
    """Every session in programme order, and every clash that stands."""
    conference = current_conference()
    return render_template("admin/programme/agenda.html", conference=conference,
                           sessions=programme_sessions(conference),
                           clashes=standing_clashes(conference), kinds=KINDS)


@bp.get("/programme/<kind_name>")
@organiser_required
def programme_list(kind_name: str):
    kind = _kind(kind_name)
    typed = (request.args.get("q") or "").strip()[:MAX_QUERY_LENGTH]
    query, sort, rows = kind.query(current_conference(), typed, request.args.get("sort"))
    return render_template("admin/programme/list.html", kind=kind, kinds=KINDS, rows=rows,
                           typed=typed, query=query, sort=sort, max_rows=MAX_ROWS,
                           sort_words=SORT_WORDS)


@bp.route("/programme/<kind_name>/new", methods=["GET", "POST"])
@organiser_required
def programme_new(kind_name: str):
    return _edit(_kind(kind_name), None)


@bp.route("/programme/<kind_name>/<int:item_id>", methods=["GET", "POST"])
@organiser_required
def programme_edit(kind_name: str, item_id: int):
    kind = _kind(kind_name)
    return _edit(kind, _item(kind, item_id))


def _image(kind: Kind, form, item) -> dict:
    """The image field's value: a new upload stored, the old one removed, or unchanged."""
    if kind.image is None:
        return {}
    upload = form[kind.image].data
    if upload and getattr(upload, "filename", ""):
        return {kind.image: store_image(upload.read(current_app.config["UPLOAD_MAX_BYTES"] + 1))}
    if form.remove_image.data:
        return {kind.image: None}
    return {}


def _save(kind: Kind, form, conference: Conference, item) -> editing.Outcome:
    values = {**form.values(conference), **_image(kind, form, item)}
    version = form.read_version() if item is not None else None
    if kind.service_kind == "session":
        return editing.save_session(conference, item, values, version,
                                    allow_clash=bool(form.allow_clash.data))
    if item is None:
        return editing.create(conference, kind.service_kind, values)
    return editing.update(item, kind.service_kind, values, version)


def _attempt(form, save: Callable[[], editing.Outcome], image_field: str | None = None):
    """Run ``save``: (its outcome, [], []), or what it refused as (None, messages not on
    a field, clashes) with the rest put on the form's fields; nothing stays written."""
    try:
        return save(), [], []
    except BadImage as exc:
        db.session.rollback()
        form[image_field].errors = [str(exc)]
        return None, [], []
    except ClashRefused as exc:
        db.session.rollback()
        return None, [], exc.clashes
    except Invalid as exc:
        db.session.rollback()
        return None, form.show_errors(exc.errors), []
    except Stale as exc:
        db.session.rollback()
        return None, [str(exc)], []


def _edit(kind: Kind, item):
    conference = current_conference()
    form = kind.form()
    if hasattr(form, "offer"):
        form.offer(conference)
    if request.method == "GET" and item is not None:
        form.fill(item, conference)
    problems: list[str] = []
    clashes = []
    if request.method == "POST":
        if form.validate_on_submit():
            outcome, problems, clashes = _attempt(
                form, lambda: _save(kind, form, conference, item), kind.image)
            if outcome is not None:
                editing.finish(outcome)
                _tell_saved(outcome)
                return redirect(url_for(".programme_list", kind_name=kind.name), code=303)
        if not problems and not clashes:
            problems = [gettext("Please correct the marked fields.")]
    status = 422 if request.method == "POST" else 200
    return render_template("admin/programme/form.html", kind=kind, kinds=KINDS, form=form,
                           item=item, problems=problems, clashes=clashes,
                           button=ButtonForm()), status


def _tell_saved(outcome: editing.Outcome) -> None:
    flash(gettext("Saved."))
    for warning in outcome.warnings:
        flash(warning.message(), "warning")
    if outcome.mails:
        flash(ngettext("%(num)d e-mail queued to the people holding seats.",
                       "%(num)d e-mails queued to the people holding seats.",
                       len(outcome.mails)))


@bp.post("/programme/<kind_name>/<int:item_id>/delete")
@organiser_required
def programme_delete(kind_name: str, item_id: int):
    """Delete an item; a session someone holds is cancelled instead."""
    kind = _kind(kind_name)
    item = _item(kind, item_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        if kind.service_kind == "session":
            outcome = editing.remove_session(item, _read_version())
        else:
            outcome = editing.delete(item, kind.service_kind, _read_version())
    except (InUse, Stale) as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for(".programme_edit", kind_name=kind.name, item_id=item_id),
                        code=303)
    editing.finish(outcome)
    if outcome.cancelled:
        flash(gettext("People hold seats in this session: it is cancelled, not deleted, and "
                      "they are told."))
        _tell_saved(outcome)
    else:
        flash(gettext("Deleted."))
    return redirect(url_for(".programme_list", kind_name=kind.name), code=303)


@bp.post("/programme/sessions/<int:item_id>/cancel", defaults={"action": "cancel"})
@bp.post("/programme/sessions/<int:item_id>/reinstate", defaults={"action": "reinstate"})
@organiser_required
def programme_session_status(item_id: int, action: str):
    """Cancel a session (kept, marked, its holders told), or put it back."""
    item = _item(KINDS["sessions"], item_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        if action == "cancel":
            outcome = editing.cancel_session(item, _read_version())
        else:
            outcome = editing.reinstate_session(item, _read_version(),
                                                allow_clash=bool(request.form.get("allow_clash")))
    except EditRefused as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        editing.finish(outcome)
        _tell_saved(outcome)
    return redirect(url_for(".programme_edit", kind_name="sessions", item_id=item_id),
                    code=303)


@bp.route("/conference", methods=["GET", "POST"])
@organiser_required
def programme_settings():
    """The conference itself: names, days, time zone, venue, the demo banner."""
    conference = current_conference()
    form = ConferenceForm()
    problems: list[str] = []
    if request.method == "GET":
        form.fill(conference, conference)
    elif form.validate_on_submit():
        outcome, problems, _ = _attempt(form, lambda: editing.update(
            conference, "conference", form.values(conference), form.read_version()))
        if outcome is not None:
            editing.finish(outcome)
            flash(gettext("Saved."))
            return redirect(url_for(".programme_settings"), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("admin/programme/settings.html", form=form, problems=problems,
                           kinds=KINDS, conference=conference), status
