"""Room door signs: one landscape A4 page per day with the sessions held in one room."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from ..extensions import db
from ..models import Conference, Room
from ..pdf import print_base_url, render_pdf_cached
from .exports import programme_sessions
from .pdf import programme_days


def find_room(conference: Conference, slug: str) -> Room | None:
    return db.session.execute(
        db.select(Room).where(Room.conference_id == conference.id, Room.slug == slug)
    ).scalar_one_or_none()


def room_sign_html(conference: Conference, room: Room, lang: str) -> str:
    sessions = [s for s in programme_sessions(conference) if s.room_id == room.id]
    other = "en" if lang == "zh" else "zh"
    with force_locale(lang):
        return render_template(
            "pdf/room_sign.html",
            conference=conference,
            room=room,
            lang=lang,
            other_lang=other,
            days=programme_days(conference, lang, sessions),
            other_titles=[s.t("title", other) for s in sessions],  # in the days' order
        )


def room_sign_pdf(conference: Conference, room: Room, lang: str) -> bytes:
    """The door sign of ``room`` in ``lang`` (titles also in the other language)."""
    return render_pdf_cached(room_sign_html(conference, room, lang), print_base_url())
