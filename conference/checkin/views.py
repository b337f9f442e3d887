"""The door scanner page (``/checkin``); scans go to ``POST /api/v1/checkin``."""

from __future__ import annotations

from flask import render_template

from ..auth.guards import CSRF_HEADER, CSRF_HEADER_VALUE, staff_required
from . import bp
from .service import MAX_GATE


@bp.get("/checkin")
@staff_required
def scanner():
    return render_template(
        "checkin/scanner.html",
        api_header=CSRF_HEADER,
        api_header_value=CSRF_HEADER_VALUE,
        max_gate=MAX_GATE,
    )
