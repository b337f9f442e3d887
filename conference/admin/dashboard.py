"""Organiser page ``/admin``: the live dashboard. The page is a frame; its script
(``static/js/admin-dashboard.js``) fetches ``/api/v1/dashboard`` every
``DASHBOARD_REFRESH_SECONDS`` and draws the charts as SVG."""

from __future__ import annotations

from flask import current_app, render_template

from ..auth.guards import CSRF_HEADER, CSRF_HEADER_VALUE
from ..current import current_conference
from . import bp
from .registrations import organiser_required


@bp.get("/", strict_slashes=False)
@organiser_required
def dashboard():
    conference = current_conference(required=False)
    return render_template(
        "admin/people/dashboard.html",
        refresh_seconds=int(current_app.config["DASHBOARD_REFRESH_SECONDS"]),
        header_name=CSRF_HEADER,
        header_value=CSRF_HEADER_VALUE,
        timezone=conference.timezone if conference else "UTC",
    )
