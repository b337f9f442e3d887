"""``GET /api/v1/dashboard``: the organisers' live figures (see
``conference.admin.dashboard_figures``), for the dashboard page and for integrations.

Auth: ``conference.auth.guards.api_organiser`` (an organiser's session with the API
header, or an organiser's or admin's API token).
"""

from __future__ import annotations

from flask import jsonify

from ..admin.dashboard_figures import dashboard_figures
from ..auth.guards import api_organiser
from ..current import current_conference
from ..errors import problem
from . import bp


@bp.get("/dashboard")
@api_organiser
def dashboard():
    conference = current_conference(required=False)
    if conference is None:
        return problem(404, "Not Found", "No conference has been loaded yet.")
    response = jsonify(dashboard_figures(conference))
    response.headers["Cache-Control"] = "no-store"
    return response
