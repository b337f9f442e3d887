"""The QR code the registration page shows (an SVG) scans as the badge code, whatever size
the page draws it at."""

from __future__ import annotations

import zxingcpp
from weasyprint import HTML

from conference.badges.qr import qr_svg
from tests.badges.pdf_checks import rasterise

CODE = "1.AbCdEfGhIjKlMnOp.QrStUvWxYz0123456789-_"


def test_the_pages_qr_code_scans_as_the_code_at_any_size(tmp_path):
    svg = qr_svg(CODE)
    page = (f'<div style="width: 30mm">{svg}</div>'
            f'<div style="width: 90mm">{svg}</div>'
            "<style>svg { display: block; width: 100%; height: auto }</style>")
    [image] = rasterise(HTML(string=page).write_pdf(), tmp_path, dpi=150)
    found = zxingcpp.read_barcodes(image)
    assert [code.text for code in found] == [CODE, CODE]
    widths = sorted(code.position.top_right.x - code.position.top_left.x for code in found)
    assert widths[1] > 2.5 * widths[0]  # the larger one is drawn larger, not cut
