"""Every badge stock: exact sheet size, cards where the stock has them, every QR code
readable from the printed page and signed by this installation."""

from __future__ import annotations

import math

import pytest
import zxingcpp

from conference.badges.bulk import find_conference, render_badges_to_file, select_registrations
from conference.badges.layouts import LAYOUTS
from conference.badges.render import badges_html, chinese_name_parts
from conference.badges.tokens import verify_code
from tests.badges.bulk_data import add_registrations
from tests.badges.pdf_checks import page_sizes_mm, pdf_text, rasterise, squeezed

RASTER_DPI = 150
MM_PER_INCH = 25.4
PAGE_SIZES = {  # (width, height) in mm of the paper each stock is sold on
    "a6": (105, 148),
    "a6x4": (210, 297),
    "a7x8": (297, 210),
    "54x90": (210, 297),
    "40x75": (210, 297),
    "4x3in": (215.9, 279.4),
}
CARD_SIZES = {  # (width, height) in mm of one badge
    "a6": (105, 148),
    "a6x4": (105, 148),
    "a7x8": (74, 105),
    "54x90": (90, 54),
    "40x75": (75, 40),
    "4x3in": (101.6, 76.2),
}
PER_PAGE = {"a6": 1, "a6x4": 4, "a7x8": 8, "54x90": 10, "40x75": 12, "4x3in": 6}


def px_to_mm(pixels: float) -> float:
    return pixels / RASTER_DPI * MM_PER_INCH


def test_layout_table_matches_the_stock():
    assert set(LAYOUTS) == set(PAGE_SIZES)
    for code, layout in LAYOUTS.items():
        assert (layout.page_width, layout.page_height) == pytest.approx(PAGE_SIZES[code],
                                                                          abs=0.01)
        assert (layout.card_width, layout.card_height) == pytest.approx(CARD_SIZES[code],
                                                                          abs=0.01)
        assert layout.per_page == PER_PAGE[code]
        last_x, last_y = layout.card_origin(layout.per_page - 1)
        first_x, first_y = layout.card_origin(0)
        assert first_x >= 0 and first_y >= 0  # the grid stays on the paper
        assert last_x + layout.card_width <= layout.page_width + 0.01
        assert last_y + layout.card_height <= layout.page_height + 0.01


@pytest.mark.parametrize("code", list(LAYOUTS))
def test_each_layout_prints_every_badge_in_its_place_with_a_valid_code(
    app, demo, tmp_path, code
):
    layout = LAYOUTS[code]
    count = layout.per_page + 1  # one full sheet and one badge on the next
    public_ids = add_registrations(app, demo, count)
    target = tmp_path / f"{code}.pdf"

    with app.test_request_context("/"):
        registrations = select_registrations(find_conference(demo), ["delegate"])
        pages = render_badges_to_file(registrations, "en", layout, target, processes=1)

    pdf = target.read_bytes()
    assert pages == 2
    sizes = page_sizes_mm(pdf)
    assert len(sizes) == 2
    for width, height in sizes:
        assert width == pytest.approx(PAGE_SIZES[code][0], abs=0.5)
        assert height == pytest.approx(PAGE_SIZES[code][1], abs=0.5)

    images = rasterise(pdf, tmp_path, dpi=RASTER_DPI)
    expected_slots = [list(range(layout.per_page)), [0]]
    for page_number, (image, slots) in enumerate(zip(images, expected_slots, strict=True)):
        found = [c for c in zxingcpp.read_barcodes(image)
                 if c.format == zxingcpp.BarcodeFormat.QRCode]
        assert len(found) == len(slots), f"page {page_number + 1}"
        by_slot = {}
        for decoded in found:
            corners = decoded.position
            centre_x = px_to_mm(sum(p.x for p in (corners.top_left, corners.bottom_right)) / 2)
            centre_y = px_to_mm(sum(p.y for p in (corners.top_left, corners.bottom_right)) / 2)
            slot = next(
                s for s in range(layout.per_page)
                if 0 <= centre_x - layout.card_origin(s)[0] <= layout.card_width
                and 0 <= centre_y - layout.card_origin(s)[1] <= layout.card_height
            )
            symbol_mm = px_to_mm(math.dist((corners.top_left.x, corners.top_left.y),
                                           (corners.top_right.x, corners.top_right.y)))
            assert symbol_mm >= 24.8, f"{code}: QR symbol only {symbol_mm:.1f} mm"
            with app.app_context():
                by_slot[slot] = verify_code(decoded.text).public_id
        offset = page_number * layout.per_page
        assert by_slot == {s: public_ids[offset + s] for s in slots}


def test_cut_sheets_have_marks_and_precut_stock_has_none():
    for code in ("a6x4", "a7x8"):
        marks = LAYOUTS[code].marks()
        assert marks
        for mark in marks:
            assert 0 <= min(mark.x1, mark.x2) and max(mark.x1, mark.x2) <= LAYOUTS[code].page_width
            assert 0 <= min(mark.y1, mark.y2) and max(mark.y1, mark.y2) <= LAYOUTS[code].page_height
    # every inner cut line of the A7 sheet is marked
    inner_x = {LAYOUTS["a7x8"].card_origin(c)[0] for c in range(1, 4)}
    assert inner_x <= {m.x1 for m in LAYOUTS["a7x8"].marks() if m.x1 == m.x2}
    assert LAYOUTS["54x90"].marks() == []


@pytest.mark.parametrize(
    ("name", "parts"),
    [("张伟", ("张", "伟")), ("欧阳娜娜", ("欧阳", "娜娜")), ("诸葛亮", ("诸葛", "亮")),
     ("Ada Lovelace", None), ("李 Lee", None)],
)
def test_chinese_family_name_is_found(name, parts):
    assert chinese_name_parts(name) == parts


def test_family_name_of_a_chinese_name_is_set_apart_on_the_badge(app, demo, tmp_path):
    add_registrations(app, demo, 1, prefix="Guest")
    with app.test_request_context("/"):
        [registration] = select_registrations(find_conference(demo))
        registration.name = "欧阳娜娜"
        html = badges_html([registration], "zh", LAYOUTS["54x90"])
        target = tmp_path / "one.pdf"
        render_badges_to_file([registration], "zh", LAYOUTS["54x90"], target, processes=1)
    assert '<b class="badge-family-name">欧阳</b>娜娜' in html  # the family name in bold
    assert "欧阳娜娜" in squeezed(pdf_text(target.read_bytes()))
