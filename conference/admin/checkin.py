"""Organiser page ``/admin/checkin``: arrivals, offline conflicts, check-in lists and
their re-entry setting, scanner devices."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf

from ..auth.service import revoke_device_token
from ..checkin.lists import checkin_lists, set_reentry
from ..checkin.lookup import arrival_counters, offline_conflicts
from ..checkin.rooms import UnknownList
from ..current import current_conference
from ..extensions import db
from ..models import DeviceToken
from . import bp
from .registrations import organiser_required


class RevokeForm(FlaskForm):
    """Only the CSRF token."""


class ReentryForm(FlaskForm):
    """Allow ("1") or refuse ("0") re-entry on one check-in list."""

    allowed = HiddenField(validators=[AnyOf(["0", "1"])])


@bp.get("/checkin")
@organiser_required
def checkin_dashboard():
    conference = current_conference(required=False)
    devices = db.session.execute(
        db.select(DeviceToken).order_by(DeviceToken.revoked_at.is_not(None), DeviceToken.name)
    ).scalars().all()
    return render_template(
        "admin/checkin.html",
        counters=arrival_counters(conference.id if conference else None),
        conflicts=offline_conflicts(conference.id if conference else None),
        lists=checkin_lists(conference),
        devices=devices,
        form=RevokeForm(),
        reentry_form=ReentryForm(),
    )


@bp.post("/checkin/devices/<int:device_id>/revoke")
@organiser_required
def revoke_device(device_id: int):
    if not RevokeForm().validate_on_submit():
        abort(400)
    if revoke_device_token(device_id):
        flash(gettext("The device token was revoked."))
    return redirect(url_for("admin.checkin_dashboard"))


def _set_reentry(session_id: int | None):
    form = ReentryForm()
    if not form.validate_on_submit():
        abort(400)
    allowed = form.allowed.data == "1"
    try:
        set_reentry(current_conference(), session_id, allowed)
    except UnknownList:
        abort(404)
    if allowed:
        flash(gettext("Re-entry is now allowed on this list."))
    else:
        flash(gettext("Re-entry is now refused on this list."))
    return redirect(url_for("admin.checkin_dashboard") + "#lists")


@bp.post("/checkin/lists/main/reentry")
@organiser_required
def main_door_reentry():
    return _set_reentry(None)


@bp.post("/checkin/lists/<int:session_id>/reentry")
@organiser_required
def room_reentry(session_id: int):
    return _set_reentry(session_id)
