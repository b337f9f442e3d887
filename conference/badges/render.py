"""Badge PDFs: cards laid out on sheets of any stock in ``layouts.LAYOUTS``.

``badge_card`` turns a registration into the values a card shows (sizes in mm, chosen for
the layout's card); ``templates/pdf/_badge_card.html`` draws one card and
``templates/pdf/badge.html`` places cards on sheets at the positions the layout gives.
Portrait cards (A6, A7) scale one design; landscape cards (badge-maker stock, labels) put
the QR code beside the name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from flask import render_template
from flask_babel import force_locale

from ..colours import safe_colour
from ..models import Conference, Registration
from ..pdf import print_base_url, print_dates, render_pdf
from .back import BadgeBack, back_geometry, badge_backs
from .layouts import DEFAULT_LAYOUT, LAYOUTS, BadgeLayout
from .qr import QUIET_ZONE, qr_png_data_uri
from .tokens import issue_code

__all__ = ["LAYOUTS", "BadgeLayout", "badge_card", "badge_pdf", "badge_stylesheet", "badges_html",
           "badges_pdf"]

DEFAULT_BAND_COLOUR = "#1f6feb"

# Card geometry at A6 width (105 mm); smaller cards scale these down.
REFERENCE_WIDTH = 105.0
SIDE_MARGIN = 8.0
NAME_MAX_SIZE = 17.0  # mm of font size: two or three Chinese characters fill the width
NAME_ONE_LINE_MIN = 8.0  # below this a long name is set on more lines instead
NAME_SMALLEST = 5.0
NAME_MAX_LINES = 3  # an even longer name is cut after the third line
NAME_CLASS_MIN, NAME_CLASS_MAX = 20, 240  # name sizes the stylesheet has, in 0.1 mm
QR_WIDTH = 42.0  # the printed image, quiet zone included, on an A6 card
QR_MIN_SYMBOL = 25.0  # mm of symbol (quiet zone excluded): scans from 30 cm with a phone

# Landscape cards, as fractions of the card's height (templates/pdf/badge.css uses the
# same padding, and a band of 0.15).
LANDSCAPE_PAD = 0.06
LANDSCAPE_QR_SYMBOL = 0.62

COMPOUND_SURNAMES = frozenset((
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
    "司徒", "夏侯", "轩辕", "令狐", "独孤", "端木", "西门", "南宫", "申屠", "澹台", "公冶",
    "呼延", "万俟", "太史", "钟离", "闻人", "赫连", "濮阳", "司空", "百里", "东郭", "第五",
))


@dataclass(frozen=True)
class BadgeCard:
    conference_name: str
    conference_dates: str
    name: str
    family_name: str  # set apart (bold) for Chinese names; empty otherwise
    given_name: str
    name_size: float  # font size in mm
    name_lines: int
    organisation: str
    job_title: str
    category_name: str
    band_colour: str
    band_text_colour: str
    qr_uri: str
    qr_width: float  # mm, quiet zone included
    public_id: str
    x: float = 0.0  # mm from the sheet's left edge
    y: float = 0.0
    slot: int = 0  # place on the sheet, row by row
    qr_modules: int = 0
    category_id: int = 0

    @property
    def name_class(self) -> int:
        """The name's font size in tenths of a millimetre (rounded down: it still fits)."""
        return min(max(int(self.name_size * 10), NAME_CLASS_MIN), NAME_CLASS_MAX)

    @property
    def category_class(self) -> int:
        return self.category_id


def _is_cjk(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def chinese_name_parts(name: str) -> tuple[str, str] | None:
    """(family name, given name) of a Chinese name such as 张伟 or 欧阳娜娜; else None."""
    compact = name.strip()
    if not 2 <= len(compact) <= 5 or not all(_is_cjk(c) and c.isalpha() for c in compact):
        return None
    family_length = 2 if compact[:2] in COMPOUND_SURNAMES and len(compact) > 2 else 1
    return compact[:family_length], compact[family_length:]


def _text_width_em(text: str) -> float:
    """Rough width of ``text`` in em in a CJK font (bold): wide characters take a full em."""
    width = 0.0
    for char in text:
        if _is_cjk(char):
            width += 1.0
        elif char.isspace():
            width += 0.28
        elif char.isupper() or char.isdigit():
            width += 0.68
        else:
            width += 0.56
    return width


def fit_name(name: str, usable: float, largest: float, one_line_min: float,
             smallest: float) -> tuple[float, int]:
    """Font size (mm) and line count that make ``name`` fit ``usable`` mm of width."""
    ems = max(_text_width_em(name), 1.0)
    one_line = usable / ems
    if one_line >= one_line_min:
        return round(min(one_line, largest), 2), 1
    for lines in range(2, NAME_MAX_LINES + 1):
        size = 0.92 * lines * usable / ems  # wrapping never fills every line exactly
        if size >= smallest or lines == NAME_MAX_LINES:
            return round(min(max(size, smallest), one_line_min), 2), lines
    raise AssertionError("unreachable")


def name_font_size(name: str, width: float = REFERENCE_WIDTH) -> tuple[float, int]:
    """Font size (mm) and line count for ``name`` on a portrait card ``width`` mm wide.

    Short names are printed as large as the width allows (up to NAME_MAX_SIZE); a name too
    long for NAME_ONE_LINE_MIN on one line is set on two lines, then three.
    """
    scale = width / REFERENCE_WIDTH
    return fit_name(name, width - 2 * SIDE_MARGIN * scale, NAME_MAX_SIZE * scale,
                    NAME_ONE_LINE_MIN * scale, NAME_SMALLEST * scale)


def band_text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (#rrggbb)."""
    channels = [int(background[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    contrast_with_white = 1.05 / (luminance + 0.05)
    contrast_with_black = (luminance + 0.05) / 0.05
    return "#ffffff" if contrast_with_white >= contrast_with_black else "#000000"


@dataclass(frozen=True)
class CardGeometry:
    """Sizes (mm) that depend only on the layout, worked out once per document."""

    scale: float  # 1rem in mm in the card's CSS
    qr_symbol: float  # the smallest symbol width allowed on this card
    name_area: float  # width available to the name


def card_geometry(layout: BadgeLayout) -> CardGeometry:
    if layout.landscape_card:
        height = layout.card_height
        symbol = max(QR_MIN_SYMBOL, LANDSCAPE_QR_SYMBOL * height
                     - 2 * LANDSCAPE_PAD * height)
        symbol = min(symbol, 0.4 * layout.card_width)
        with_zone = symbol * (41 + 2 * QUIET_ZONE) / 41
        return CardGeometry(height / 54, symbol, layout.card_width - with_zone
                            - 2 * LANDSCAPE_PAD * height)
    scale = layout.card_width / REFERENCE_WIDTH
    return CardGeometry(scale, max(QR_MIN_SYMBOL, QR_WIDTH * scale * 41 / 49),
                        layout.card_width - 2 * SIDE_MARGIN * scale)


def badge_card(registration: Registration, lang: str, layout: BadgeLayout | None = None,
               slot: int = 0, conference_texts: tuple[str, str] | None = None) -> BadgeCard:
    """What the badge of ``registration`` shows, in ``lang``, in ``slot`` of ``layout``."""
    layout = layout or LAYOUTS[DEFAULT_LAYOUT]
    geometry = card_geometry(layout)
    conference = registration.conference
    category = registration.category
    colour = safe_colour(category.colour, DEFAULT_BAND_COLOUR)
    if layout.landscape_card:
        height = layout.card_height
        size, lines = fit_name(registration.name, geometry.name_area, 0.3 * height,
                               0.14 * height, 0.075 * height)
    else:
        size, lines = name_font_size(registration.name, layout.card_width)
    parts = chinese_name_parts(registration.name)
    qr_uri, modules = qr_png_data_uri(issue_code(registration))
    if conference_texts is None:
        conference_texts = (conference.t("name", lang), print_dates(conference, lang))
    x, y = layout.card_origin(slot)
    return BadgeCard(
        conference_name=conference_texts[0],
        conference_dates=conference_texts[1],
        name=registration.name,
        family_name=parts[0] if parts else "",
        given_name=parts[1] if parts else registration.name,
        name_size=size,
        name_lines=lines,
        organisation=registration.organisation or "",
        job_title=registration.job_title or "",
        category_name=category.t("name", lang),
        band_colour=colour,
        band_text_colour=band_text_colour(colour),
        qr_uri=qr_uri,
        qr_width=round(geometry.qr_symbol * (modules + 2 * QUIET_ZONE) / modules, 2),
        public_id=registration.public_id,
        x=x,
        y=y,
        slot=slot % layout.per_page,
        qr_modules=modules,
        category_id=category.id,
    )


@dataclass
class Sheet:
    fronts: list[BadgeCard]
    backs: list[BadgeBack]


def badge_stylesheet(layout: BadgeLayout, conference: Conference) -> str:
    """The CSS of every badge of ``conference`` on ``layout`` (``templates/pdf/badge.css``)."""
    geometry = card_geometry(layout)
    categories = []
    for category in conference.categories:
        colour = safe_colour(category.colour, DEFAULT_BAND_COLOUR)
        categories.append((category.id, colour, band_text_colour(colour)))
    marks = layout.marks_svg()
    return render_template(
        "pdf/badge.css",
        layout=layout,
        geometry=geometry,
        slots=[layout.card_origin(slot) for slot in range(layout.per_page)],
        categories=categories,
        name_sizes=range(NAME_CLASS_MIN, NAME_CLASS_MAX + 1),
        qr_sizes=[(modules, round(geometry.qr_symbol * (modules + 2 * QUIET_ZONE) / modules, 2))
                  for modules in range(21, 178, 4)],  # every QR version
        marks_uri="data:image/svg+xml," + quote(marks) if marks else "",
        back=back_geometry(layout),
    )


def badges_html(
    registrations: Sequence[Registration], lang: str, layout: BadgeLayout | None = None,
    back: bool = False, stylesheet: bool = True,
) -> str:
    """The print document for ``registrations`` on ``layout``, in ``lang``.

    With ``back``, every sheet is followed by its back (see ``badge_backs``). With
    ``stylesheet=False`` the document carries no CSS: the caller passes
    ``badge_stylesheet()`` to the renderer (bulk jobs parse it once per worker).
    """
    layout = layout or LAYOUTS[DEFAULT_LAYOUT]
    texts: dict[int, tuple[str, str]] = {}
    cards = []
    for slot, registration in enumerate(registrations):
        conference = registration.conference
        if conference.id not in texts:
            texts[conference.id] = (conference.t("name", lang), print_dates(conference, lang))
        cards.append(badge_card(registration, lang, layout, slot, texts[conference.id]))
    backs = badge_backs(registrations, lang, layout) if back else []
    per_page = layout.per_page
    sheets = [
        Sheet(cards[i : i + per_page], backs[i : i + per_page])
        for i in range(0, len(cards), per_page)
    ]
    with force_locale(lang):
        css = badge_stylesheet(layout, registrations[0].conference) if (
            stylesheet and registrations) else ""
        return render_template("pdf/badge.html", sheets=sheets, lang=lang, stylesheet=css)


def badges_pdf(
    registrations: Sequence[Registration], lang: str, layout: BadgeLayout | None = None,
    back: bool = False,
) -> bytes:
    return render_pdf(badges_html(registrations, lang, layout, back), print_base_url())


def badge_pdf(registration: Registration, lang: str, layout: BadgeLayout | None = None,
              back: bool = False) -> bytes:
    """One badge for ``registration`` in ``lang`` ('zh' or 'en'); A6 unless told. With
    ``back``, a second page holds the back of the badge."""
    return badges_pdf([registration], lang, layout or LAYOUTS[DEFAULT_LAYOUT], back)


def badge_filename(registration: Registration) -> str:
    """``badge-<name in ASCII>.pdf``: accents dropped, other scripts left out."""
    ascii_name = (
        unicodedata.normalize("NFKD", registration.name).encode("ascii", "ignore").decode()
    )
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-").lower()[:60]
    return f"badge-{slug or 'attendee'}.pdf"
