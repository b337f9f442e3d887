"""Organiser page ``/admin/checkin``: arrivals, offline conflicts, scanner devices."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_wtf import FlaskForm

from ..auth.service import revoke_device_token
from ..checkin.lookup import arrival_counters, offline_conflicts
from ..extensions import db
from ..models import DeviceToken
from . import bp
from .registrations import organiser_required


class RevokeForm(FlaskForm):
    """Only the CSRF token."""


@bp.get("/checkin")
@organiser_required
def checkin_dashboard():
    devices = db.session.execute(
        db.select(DeviceToken).order_by(DeviceToken.revoked_at.is_not(None), DeviceToken.name)
    ).scalars().all()
    return render_template(
        "admin/checkin.html",
        counters=arrival_counters(),
        conflicts=offline_conflicts(),
        devices=devices,
        form=RevokeForm(),
    )


@bp.post("/checkin/devices/<int:device_id>/revoke")
@organiser_required
def revoke_device(device_id: int):
    if not RevokeForm().validate_on_submit():
        abort(400)
    if revoke_device_token(device_id):
        flash(gettext("The device token was revoked."))
    return redirect(url_for("admin.checkin_dashboard"))
