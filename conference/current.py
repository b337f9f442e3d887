"""Which conference the public site shows."""

from __future__ import annotations

from flask import abort, current_app, g

from .extensions import db
from .models import Conference


def current_conference(required: bool = True) -> Conference | None:
    """The configured ``DEFAULT_CONFERENCE`` (a slug), else the latest one loaded."""
    if "conference" not in g:
        slug = current_app.config.get("DEFAULT_CONFERENCE")
        query = db.select(Conference)
        if slug:
            query = query.where(Conference.slug == slug)
        else:
            query = query.order_by(Conference.starts_on.desc(), Conference.id.desc())
        g.conference = db.session.execute(query.limit(1)).scalar_one_or_none()
    if g.conference is None and required:
        abort(404, description="No conference has been loaded yet.")
    return g.conference
