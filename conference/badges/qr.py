"""QR codes of badge codes, all from one encoder (zxing-cpp) with medium error correction:
an SVG for the registration page, a PNG for the confirmation e-mail, and a PNG of one pixel
per module for printed badges.

A badge's PNG of 49 × 49 pixels scaled up with ``image-rendering: pixelated`` prints as
sharp squares and costs the PDF renderer far less than an SVG path of hundreds of squares.
"""

from __future__ import annotations

import base64
import io

import zxingcpp
from markupsafe import Markup
from PIL import Image

QUIET_ZONE = 4  # modules of white around the symbol, as the standard asks
MAIL_MODULE_PIXELS = 8  # large enough to scan from a phone screen


def _symbol(text: str) -> Image.Image:
    """The symbol encoding ``text``: one grey pixel per module, no quiet zone."""
    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    pixels = memoryview(barcode.to_image(scale=1, add_quiet_zones=False))
    size = pixels.shape[0]
    return Image.frombytes("L", (size, size), bytes(pixels))


def _with_quiet_zone(symbol: Image.Image, scale: int = 1) -> Image.Image:
    side = symbol.width + 2 * QUIET_ZONE
    padded = Image.new("L", (side, side), 255)
    padded.paste(symbol, (QUIET_ZONE, QUIET_ZONE))
    return padded if scale == 1 else padded.resize((side * scale,) * 2, Image.Resampling.NEAREST)


def _png(image: Image.Image) -> bytes:
    # 8-bit grey, quickly compressed: the PDF renderer takes a grey PNG as it is, where a
    # 1-bit one would be converted to RGB and encoded once more for every badge.
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def qr_svg(text: str) -> Markup:
    """An SVG (one path, scalable, a millimetre per module by default) encoding ``text``."""
    symbol = _symbol(text)
    size, pixels = symbol.width, symbol.tobytes()
    side = size + 2 * QUIET_ZONE
    path = []
    for y in range(size):
        row = pixels[y * size:(y + 1) * size]
        x = 0
        while x < size:
            if row[x]:
                x += 1
                continue
            start = x
            while x < size and not row[x]:
                x += 1
            path.append(f"M{start + QUIET_ZONE} {y + QUIET_ZONE}h{x - start}v1h{start - x}z")
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{side}mm" height="{side}mm" '
        f'viewBox="0 0 {side} {side}" shape-rendering="crispEdges">'
        f'<path d="{"".join(path)}" fill="#000"/></svg>'
    )


def qr_png(text: str) -> bytes:
    """A PNG of the QR code for ``text``, quiet zone included, to attach to an e-mail."""
    return _png(_with_quiet_zone(_symbol(text), MAIL_MODULE_PIXELS))


def qr_png_data_uri(text: str) -> tuple[str, int]:
    """A ``data:`` URI of a PNG of one pixel per module (quiet zone included) for ``text``,
    and the symbol's width in modules."""
    symbol = _symbol(text)
    uri = "data:image/png;base64," + base64.b64encode(_png(_with_quiet_zone(symbol))).decode()
    return uri, symbol.width
