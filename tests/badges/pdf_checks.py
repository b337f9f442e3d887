"""Looking at rendered PDFs the way a reader or a printer would: page sizes, text, fonts,
pixels. Uses pypdf and poppler-utils (pdftotext, pdffonts, pdftoppm)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

POINTS_PER_MM = 72 / 25.4


def page_sizes_mm(pdf: bytes) -> list[tuple[float, float]]:
    reader = PdfReader(io.BytesIO(pdf))
    return [
        (float(page.mediabox.width) / POINTS_PER_MM, float(page.mediabox.height) / POINTS_PER_MM)
        for page in reader.pages
    ]


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")


def squeezed(text: str) -> str:
    """``text`` without any white space, so a line break cannot hide a match."""
    return "".join(text.split())


def embedded_fonts(pdf: bytes, tmp_path: Path) -> list[str]:
    """Names of the fonts in the PDF (pdffonts), e.g. ``ABCDEF+Noto-Sans-CJK-SC-Bold``."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    return [line.split()[0] for line in listing if line.strip()]


def rasterise(pdf: bytes, tmp_path: Path, dpi: int = 200) -> list[Image.Image]:
    source = tmp_path / "page.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", str(source), str(tmp_path / "page")], check=True
    )
    return [Image.open(path) for path in sorted(tmp_path.glob("page-*.png"))]
