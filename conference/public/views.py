"""Pages of the public site: home, agenda, sessions, rooms, speakers, exhibitors."""

from __future__ import annotations

from flask import abort, render_template, request

from ..current import current_conference
from ..i18n import current_language
from . import bp, service
from .labels import kind_label


@bp.context_processor
def page_helpers() -> dict:
    def local_iso(value) -> str:
        conference = current_conference(required=False)
        return service.local_iso(value, conference.timezone if conference else "UTC")

    return {
        "kind_label": kind_label,
        "local_iso": local_iso,
    }


def _slug_arg(name: str) -> str | None:
    value = request.args.get(name, "").strip()
    return value[:80] or None


@bp.get("/")
def home():
    conference = current_conference()
    return render_template(
        "public/home.html", conference=conference, overview=service.overview(conference)
    )


@bp.get("/agenda")
def agenda():
    conference = current_conference()
    agenda = service.build_agenda(conference, _slug_arg("track"), _slug_arg("room"))
    return render_template("public/agenda.html", conference=conference, agenda=agenda)


@bp.get("/sessions/<slug>")
def session(slug: str):
    conference = current_conference()
    item = service.find_session(conference, slug) or abort(404)
    return render_template(
        "public/session.html",
        conference=conference,
        item=item,
        seats_left=service.seats_left([item])[item.id],
    )


@bp.get("/rooms/<slug>")
def room(slug: str):
    conference = current_conference()
    room = service.find_room(conference, slug) or abort(404)
    sessions = service.programme_sessions(conference, room=room)
    return render_template(
        "public/room.html",
        conference=conference,
        room=room,
        days=service.group_by_day_and_time(sessions, conference.timezone),
    )


@bp.get("/speakers")
def speakers():
    conference = current_conference()
    return render_template(
        "public/speakers.html",
        conference=conference,
        speakers=service.speakers_alphabetical(conference, current_language()),
    )


@bp.get("/speakers/<slug>")
def speaker(slug: str):
    conference = current_conference()
    speaker = service.find_speaker(conference, slug) or abort(404)
    return render_template("public/speaker.html", conference=conference, speaker=speaker)


@bp.get("/exhibitors")
def exhibitors():
    conference = current_conference()
    return render_template(
        "public/exhibitors.html",
        conference=conference,
        groups=service.exhibitor_groups(conference, current_language()),
    )


@bp.get("/exhibitors/<slug>")
def exhibitor(slug: str):
    conference = current_conference()
    exhibitor = service.find_exhibitor(conference, slug) or abort(404)
    return render_template(
        "public/exhibitor.html",
        conference=conference,
        exhibitor=exhibitor,
        website=service.safe_web_address(exhibitor.website),
    )
