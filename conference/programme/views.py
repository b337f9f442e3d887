"""Views of the programme domain: the printed programme."""

from __future__ import annotations

from flask import Response, abort, request
from flask_babel import gettext

from ..current import current_conference
from ..i18n import current_language
from . import bp
from .pdf import PAGE_SIZES
from .pdf import programme_pdf as render_programme_pdf


@bp.get("/programme.pdf")
def programme_pdf():
    conference = current_conference()
    size = request.args.get("size", "A4").upper()
    if size not in PAGE_SIZES:
        abort(400, description=gettext("Paper size must be one of: %(sizes)s.",
                                       sizes=", ".join(PAGE_SIZES)))
    lang = current_language()  # ?lang=zh|en, else the visitor's language
    response = Response(render_programme_pdf(conference, lang, size), mimetype="application/pdf")
    filename = f"{conference.slug}-programme-{lang}-{size.lower()}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.cache_control.public = True
    response.cache_control.max_age = 300
    response.add_etag()
    return response.make_conditional(request)
