"""Room door signs: one landscape A4 page per day with the sessions held in one room."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from ..models import Conference, Room
from ..pdf import print_base_url, render_pdf_cached
from ..public.service import programme_sessions
from .pdf import programme_days


def room_sign_html(conference: Conference, room: Room, lang: str) -> str:
    sessions = programme_sessions(conference, room=room)
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
