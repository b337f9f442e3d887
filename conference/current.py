"""Which conference the public site shows."""

from __future__ import annotations

from collections.abc import Sequence

from flask import abort, current_app, g

from .extensions import db
from .models import Conference


def current_conference(required: bool = True, load: Sequence = ()) -> Conference | None:
    """The configured ``DEFAULT_CONFERENCE`` (a slug), else the latest one loaded.

    ``load``: loader options (e.g. ``joinedload`` of collections the caller needs next),
    applied when this is the request's first look at the conference.
    """
    if "conference" not in g:
        slug = current_app.config["DEFAULT_CONFERENCE"]
        query = db.select(Conference)
        if slug:
            query = query.where(Conference.slug == slug)
        else:
            query = query.order_by(Conference.starts_on.desc(), Conference.id.desc())
        g.conference = (
            db.session.execute(query.options(*load).limit(1)).unique().scalar_one_or_none()
        )
    if g.conference is None and required:
        abort(404, description="No conference has been loaded yet.")
    return g.conference
