"""Organiser page ``/admin/audit``: who changed what and when, filtered by person, kind
and date, a page at a time."""

from __future__ import annotations

from datetime import date

from flask import render_template, request

from ..current import current_conference
from . import bp
from .audit_log import AuditFilter, actors, audit_page, kinds
from .audit_words import kind_word
from .registrations import organiser_required


def _date(name: str) -> date | None:
    """A ``YYYY-MM-DD`` query value, or None (a bad one is ignored, and the field says so)."""
    try:
        return date.fromisoformat(request.args.get(name, "")[:10])
    except ValueError:
        return None


def _page_number() -> int:
    value = request.args.get("page", "1")
    return int(value) if value.isdigit() and len(value) < 7 else 1


@bp.get("/audit")
@organiser_required
def audit():
    conference = current_conference(required=False)
    chosen = AuditFilter(
        actor=request.args.get("actor", "")[:254],
        kind=request.args.get("kind", "")[:60],
        since=_date("since"),
        until=_date("until"),
    )
    found = audit_page(chosen, _page_number(), conference.timezone if conference else "UTC")
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("admin/people/audit.html", found=found, chosen=chosen,
                           actors=actors(), kinds=kinds(), args=args,
                           kind_word=kind_word)
