"""Views of the programme domain: the printed programme and room door signs."""

from __future__ import annotations

from flask import abort, request
from flask_babel import gettext

from ..current import current_conference
from ..i18n import current_language
from ..pdf import render_limited
from ..public.service import find_room
from . import bp
from .book import BOTH
from .pdf import PAGE_SIZES
from .pdf import programme_pdf as render_programme_pdf
from .responses import published
from .room_sign import room_sign_pdf

PDF = "application/pdf"


@bp.get("/programme.pdf")
@render_limited
def programme_pdf():
    conference = current_conference()
    size = request.args.get("size", "A4").upper()
    if size not in PAGE_SIZES:
        abort(400, description=gettext("Paper size must be one of: %(sizes)s.",
                                       sizes=", ".join(PAGE_SIZES)))
    # ?lang=zh|en|both, else the visitor's language
    lang = BOTH if request.args.get("lang") == BOTH else current_language()
    filename = f"{conference.slug}-programme-{lang}-{size.lower()}.pdf"
    return published(render_programme_pdf(conference, lang, size), PDF, filename)


@bp.get("/rooms/<slug>/schedule.pdf")
@render_limited
def room_schedule_pdf(slug: str):
    conference = current_conference()
    room = find_room(conference, slug)
    if room is None:
        abort(404)
    lang = current_language()
    filename = f"{conference.slug}-{room.slug}-{lang}.pdf"
    return published(room_sign_pdf(conference, room, lang), PDF, filename)
