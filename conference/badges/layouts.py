"""Badge stock: where each card sits on a printed sheet, in millimetres.

One table, ``LAYOUTS``, holds every stock the badge renderer knows. A layout is a grid of
``columns`` × ``rows`` cards of ``card_width`` × ``card_height`` mm, centred on a page of
``page_width`` × ``page_height`` mm. Sheets that are cut by hand (``cut_marks``) get short
marks in the page margin and small crosses where four cards meet.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

MM_PER_INCH = 25.4
CUT_MARK_LENGTH = 4.0
CUT_MARK_GAP = 1.0  # between the card edge and a mark in the margin
CUT_CROSS_ARM = 2.0


@dataclass(frozen=True)
class CutMark:
    """A line from (x1, y1) to (x2, y2) in mm from the page's top-left corner."""

    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class BadgeLayout:
    code: str
    label: str  # for people, in the language in force (a lazy translation)
    page_width: float
    page_height: float
    card_width: float
    card_height: float
    columns: int = 1
    rows: int = 1
    cut_marks: bool = False

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def landscape_card(self) -> bool:
        return self.card_width > self.card_height

    @property
    def left_margin(self) -> float:
        return round((self.page_width - self.columns * self.card_width) / 2, 3)

    @property
    def top_margin(self) -> float:
        return round((self.page_height - self.rows * self.card_height) / 2, 3)

    def card_origin(self, slot: int) -> tuple[float, float]:
        """Top-left corner (mm) of the card in ``slot`` (0-based, row by row)."""
        row, column = divmod(slot % self.per_page, self.columns)
        return (
            round(self.left_margin + column * self.card_width, 3),
            round(self.top_margin + row * self.card_height, 3),
        )

    @property
    def flips_left_right(self) -> bool:
        """Whether the back of a sheet printed long-edge duplex is mirrored left-right.

        A portrait sheet turns over its long (left or right) edge, so a card's back lands
        in the mirrored column; a landscape sheet turns over its long top edge, so the
        back lands in the mirrored row.
        """
        return self.page_width <= self.page_height

    def back_slot(self, slot: int) -> int:
        """The slot on the back page that lies behind ``slot`` on the front page."""
        row, column = divmod(slot % self.per_page, self.columns)
        if self.flips_left_right:
            column = self.columns - 1 - column
        else:
            row = self.rows - 1 - row
        return row * self.columns + column

    def marks_svg(self) -> str:
        """The cut marks of one sheet as an SVG image of the whole page ('' without marks)."""
        marks = self.marks()
        if not marks:
            return ""
        path = "".join(f"M{m.x1} {m.y1}L{m.x2} {m.y2}" for m in marks)
        return (
            '<svg xmlns="http://www.w3.org/2000/svg" '
            f'width="{self.page_width}mm" height="{self.page_height}mm" '
            f'viewBox="0 0 {self.page_width} {self.page_height}">'
            f'<path d="{path}" stroke="#000" stroke-width="0.2" fill="none"/></svg>'
        )

    def marks(self) -> list[CutMark]:
        """Cut marks for one sheet: none for pre-cut stock."""
        if not self.cut_marks:
            return []
        xs = [self.left_margin + c * self.card_width for c in range(self.columns + 1)]
        ys = [self.top_margin + r * self.card_height for r in range(self.rows + 1)]
        top, bottom = ys[0], ys[-1]
        left, right = xs[0], xs[-1]
        found: list[CutMark] = []
        for x in xs:  # vertical cuts: marks above and below the grid
            if top >= CUT_MARK_GAP + 1:
                found.append(CutMark(x, max(top - CUT_MARK_GAP - CUT_MARK_LENGTH, 0), x,
                                     top - CUT_MARK_GAP))
                found.append(CutMark(x, bottom + CUT_MARK_GAP, x,
                                     min(bottom + CUT_MARK_GAP + CUT_MARK_LENGTH,
                                         self.page_height)))
        for y in ys:  # horizontal cuts: marks left and right of the grid
            if left >= CUT_MARK_GAP + 1:
                found.append(CutMark(max(left - CUT_MARK_GAP - CUT_MARK_LENGTH, 0), y,
                                     left - CUT_MARK_GAP, y))
                found.append(CutMark(right + CUT_MARK_GAP, y,
                                     min(right + CUT_MARK_GAP + CUT_MARK_LENGTH,
                                         self.page_width), y))
        for x in xs[1:-1] + ([left, right] if left < CUT_MARK_GAP + 1 else []):
            for y in ys[1:-1]:  # crosses where inner cut lines meet, or meet the page edge
                found.append(CutMark(max(x - CUT_CROSS_ARM, 0), y,
                                     min(x + CUT_CROSS_ARM, self.page_width), y))
        for x in xs[1:-1]:
            for y in ys[1:-1] + ([top, bottom] if top < CUT_MARK_GAP + 1 else []):
                found.append(CutMark(x, max(y - CUT_CROSS_ARM, 0), x,
                                     min(y + CUT_CROSS_ARM, self.page_height)))
        return [CutMark(*(round(v, 3) for v in (m.x1, m.y1, m.x2, m.y2))) for m in found]


A4 = (210.0, 297.0)
US_LETTER = (8.5 * MM_PER_INCH, 11 * MM_PER_INCH)

LAYOUTS: dict[str, BadgeLayout] = {
    layout.code: layout
    for layout in (
        BadgeLayout("a6", _l("A6, one per page"), 105, 148, 105, 148),
        BadgeLayout("a6x4", _l("A6 × 4 on A4, cut marks"), *A4, 105, 148, 2, 2, cut_marks=True),
        # Eight portrait A7 cards fill a landscape A4 sheet.
        BadgeLayout("a7x8", _l("A7 × 8 on A4, cut marks"), A4[1], A4[0], 74, 105, 4, 2,
                    cut_marks=True),
        BadgeLayout("54x90", _l("54 × 90 mm badge-maker sheet (2 × 5 on A4)"), *A4, 90, 54, 2, 5),
        BadgeLayout("40x75", _l("40 × 75 mm badge-maker sheet (2 × 6 on A4)"), *A4, 75, 40, 2, 6),
        BadgeLayout("4x3in", _l("4 × 3 in labels on US Letter (2 × 3)"), *US_LETTER,
                    4 * MM_PER_INCH, 3 * MM_PER_INCH, 2, 3),
    )
}
DEFAULT_LAYOUT = "a6"
