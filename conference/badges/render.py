"""Badge PDFs: one card per confirmed registration, laid out on a sheet.

``badge_card`` turns a registration into the values a card shows (sizes in mm, chosen
for the card's width); ``templates/pdf/_badge_card.html`` draws one card and
``templates/pdf/badge.html`` places cards on pages as a ``BadgeLayout`` says. Today's
layout is a single A6 card per page; sheets of several cards (A6×4, A7×8, badge-maker
stock) are further ``BadgeLayout`` entries using the same card.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from flask import render_template
from flask_babel import force_locale
from markupsafe import Markup

from ..models import Registration
from ..pdf import print_base_url, print_dates, render_pdf
from .qr import qr_svg
from .tokens import issue_code

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_BAND_COLOUR = "#1f6feb"


@dataclass(frozen=True)
class BadgeLayout:
    """Cards of ``card_*`` mm in a grid of ``columns`` × ``rows`` on a ``page_*`` mm page."""

    code: str
    page_width: float
    page_height: float
    card_width: float
    card_height: float
    columns: int = 1
    rows: int = 1

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


LAYOUTS: dict[str, BadgeLayout] = {
    "a6": BadgeLayout("a6", 105, 148, 105, 148),
}

# Card geometry at A6 width (105 mm); smaller cards scale these down.
REFERENCE_WIDTH = 105.0
SIDE_MARGIN = 8.0
NAME_MAX_SIZE = 17.0  # mm of font size: two or three Chinese characters fill the width
NAME_ONE_LINE_MIN = 8.0  # below this a long name is set on more lines instead
NAME_SMALLEST = 5.0
NAME_MAX_LINES = 3  # an even longer name is cut after the third line
QR_WIDTH = 42.0
QR_MIN_WIDTH = 30.0  # scans from 30 cm with a phone


@dataclass(frozen=True)
class BadgeCard:
    conference_name: str
    conference_dates: str
    name: str
    name_size: float  # font size in mm
    name_lines: int
    organisation: str
    job_title: str
    category_name: str
    band_colour: str
    band_text_colour: str
    qr: Markup
    qr_width: float  # mm
    public_id: str


def _text_width_em(text: str) -> float:
    """Rough width of ``text`` in em in a CJK font (bold): wide characters take a full em."""
    width = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in ("W", "F"):
            width += 1.0
        elif char.isspace():
            width += 0.28
        elif char.isupper() or char.isdigit():
            width += 0.68
        else:
            width += 0.56
    return width


def name_font_size(name: str, width: float = REFERENCE_WIDTH) -> tuple[float, int]:
    """Font size (mm) and line count that make ``name`` fit a card ``width`` mm wide.

    Short names are printed as large as the width allows (up to NAME_MAX_SIZE); a name too
    long for NAME_ONE_LINE_MIN on one line is set on two lines, then three.
    """
    scale = width / REFERENCE_WIDTH
    usable = width - 2 * SIDE_MARGIN * scale
    ems = max(_text_width_em(name), 1.0)
    one_line = usable / ems
    if one_line >= NAME_ONE_LINE_MIN * scale:
        return round(min(one_line, NAME_MAX_SIZE * scale), 2), 1
    for lines in range(2, NAME_MAX_LINES + 1):
        size = 0.92 * lines * usable / ems  # wrapping never fills every line exactly
        if size >= NAME_SMALLEST * scale or lines == NAME_MAX_LINES:
            size = min(max(size, NAME_SMALLEST * scale), NAME_ONE_LINE_MIN * scale)
            return round(size, 2), lines
    raise AssertionError("unreachable")


def band_text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (#rrggbb)."""
    channels = [int(background[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    contrast_with_white = 1.05 / (luminance + 0.05)
    contrast_with_black = (luminance + 0.05) / 0.05
    return "#ffffff" if contrast_with_white >= contrast_with_black else "#000000"


def badge_card(registration: Registration, lang: str, width: float = REFERENCE_WIDTH) -> BadgeCard:
    """What the badge of ``registration`` shows, in ``lang``, on a card ``width`` mm wide."""
    conference = registration.conference
    category = registration.category
    colour = category.colour if category.colour and COLOUR.match(category.colour) else None
    colour = colour or DEFAULT_BAND_COLOUR
    size, lines = name_font_size(registration.name, width)
    return BadgeCard(
        conference_name=conference.t("name", lang),
        conference_dates=print_dates(conference, lang),
        name=registration.name,
        name_size=size,
        name_lines=lines,
        organisation=registration.organisation or "",
        job_title=registration.job_title or "",
        category_name=category.t("name", lang),
        band_colour=colour,
        band_text_colour=band_text_colour(colour),
        qr=qr_svg(issue_code(registration)),
        qr_width=round(max(QR_WIDTH * width / REFERENCE_WIDTH, QR_MIN_WIDTH), 2),
        public_id=registration.public_id,
    )


def badges_html(
    registrations: Sequence[Registration], lang: str, layout: BadgeLayout = LAYOUTS["a6"]
) -> str:
    """The print document for ``registrations`` on ``layout``, in ``lang``."""
    cards = [badge_card(r, lang, layout.card_width) for r in registrations]
    pages = [cards[i : i + layout.per_page] for i in range(0, len(cards), layout.per_page)]
    with force_locale(lang):
        return render_template(
            "pdf/badge.html", pages=pages, layout=layout, lang=lang,
            scale=layout.card_width / REFERENCE_WIDTH,
        )


def badges_pdf(
    registrations: Sequence[Registration], lang: str, layout: BadgeLayout = LAYOUTS["a6"]
) -> bytes:
    return render_pdf(badges_html(registrations, lang, layout), print_base_url())


def badge_pdf(registration: Registration, lang: str) -> bytes:
    """One A6 badge (105 × 148 mm) for ``registration``, in ``lang`` ('zh' or 'en')."""
    return badges_pdf([registration], lang, LAYOUTS["a6"])


def badge_filename(registration: Registration) -> str:
    """``badge-<name in ASCII>.pdf``: accents dropped, other scripts left out."""
    ascii_name = (
        unicodedata.normalize("NFKD", registration.name).encode("ascii", "ignore").decode()
    )
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-").lower()[:60]
    return f"badge-{slug or 'attendee'}.pdf"
