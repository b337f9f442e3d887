"""Badge QR codes as tiny PNG images (one pixel per module), cheap to make and to print.

A PNG of 49 × 49 pixels scaled up with ``image-rendering: pixelated`` prints as sharp
squares and costs the PDF renderer far less than an SVG path of hundreds of squares.
The mask pattern is fixed, which skips the eight trial encodings that choosing one costs;
every mask gives a valid symbol. When the zxing-cpp package is installed its C++ encoder
is used instead (a quarter of the time).
"""

from __future__ import annotations

import base64
import io

import qrcode
from PIL import Image

try:
    import zxingcpp
except ImportError:  # optional: the pure-Python encoder below does the same job
    zxingcpp = None

QUIET_ZONE = 4  # modules of white around the symbol, as the standard asks
MASK_PATTERN = 2


def qr_matrix(text: str) -> list[list[bool]]:
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=MASK_PATTERN
    )
    code.add_data(text)
    code.make(fit=True)
    return code.modules


def qr_png_data_uri(text: str) -> tuple[str, int]:
    """A ``data:`` URI of the PNG for ``text`` and the symbol's width in modules."""
    if zxingcpp is not None:
        symbol = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
        pixels = memoryview(symbol.to_image(scale=1, add_quiet_zones=False))
        size = pixels.shape[0]
        image = Image.frombytes("L", (size, size), bytes(pixels))
        padded = Image.new("L", (size + 2 * QUIET_ZONE,) * 2, 255)
        padded.paste(image, (QUIET_ZONE, QUIET_ZONE))
        return _png_uri(padded), size
    matrix = qr_matrix(text)
    size = len(matrix)
    side = size + 2 * QUIET_ZONE
    pixels = bytearray(b"\xff" * side * side)
    for y, row in enumerate(matrix):
        offset = (y + QUIET_ZONE) * side + QUIET_ZONE
        for x, dark in enumerate(row):
            if dark:
                pixels[offset + x] = 0
    image = Image.frombytes("L", (side, side), bytes(pixels))
    return _png_uri(image), size


def _png_uri(image: Image.Image) -> str:
    # 8-bit grey, quickly compressed: the PDF renderer takes a grey PNG as it is, where a
    # 1-bit one would be converted to RGB and encoded once more for every badge.
    buffer = io.BytesIO()
    image.convert("L").save(buffer, "PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
