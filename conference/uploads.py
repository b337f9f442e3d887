"""Speaker photos and exhibitor logos: checked, cleaned and stored by their content.

An upload is taken only when Pillow reads it as a real PNG, JPEG or WebP (never by its
name or the type the browser claims), of at most ``UPLOAD_MAX_BYTES`` and
``UPLOAD_MAX_PIXELS`` on either side. It is then decoded and encoded again — which drops
its metadata (EXIF with GPS positions, comments, colour profiles) and anything hidden
after the image — shrunk to ``STORED_SIDE`` pixels at most, and stored under
``UPLOAD_DIR`` named by the digest of the stored bytes. The name is the URL
(``/uploads/<digest>.<ext>``): a changed image gets a new address, so browsers and
proxies may keep one for a year.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from pathlib import Path

from flask import current_app
from flask_babel import gettext
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"PNG", "JPEG", "WEBP"}
STORED_SIDE = 1600  # the longest side kept: more than any page or print shows
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(png|jpg)$")


class BadImage(ValueError):
    """The upload is not an image this site takes; the message says why."""


def upload_dir() -> Path:
    folder = current_app.config["UPLOAD_DIR"] or str(Path(current_app.instance_path) / "uploads")
    return Path(folder)


def clean_image(data: bytes) -> tuple[bytes, str]:
    """The upload re-encoded without metadata, and its extension; ``BadImage`` if refused."""
    limit = int(current_app.config["UPLOAD_MAX_BYTES"])
    if len(data) > limit:
        raise BadImage(gettext("The image is larger than %(mb)d MB.", mb=limit // 1_000_000))
    side = int(current_app.config["UPLOAD_MAX_PIXELS"])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=sorted(ACCEPTED_FORMATS))
            if max(image.size) > side:
                raise BadImage(gettext("The image is larger than %(px)d pixels on a side.",
                                       px=side))
            image.load()
    except BadImage:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError,
            Image.DecompressionBombWarning, OSError, ValueError, SyntaxError) as exc:
        raise BadImage(gettext("This file is not a PNG, JPEG or WebP image.")) from exc
    image = ImageOps.exif_transpose(image)  # a phone photo shown the way it was taken
    image.thumbnail((STORED_SIDE, STORED_SIDE))
    keeps_transparency = image.mode in ("RGBA", "LA", "P") and (
        image.mode != "P" or "transparency" in image.info)
    out = io.BytesIO()
    if keeps_transparency:
        image.convert("RGBA").save(out, "PNG", optimize=True)
        return out.getvalue(), "png"
    image.convert("RGB").save(out, "JPEG", quality=88, optimize=True, progressive=True)
    return out.getvalue(), "jpg"


def store_image(data: bytes) -> str:
    """Check and store an uploaded image; its stored name (``<digest>.<ext>``)."""
    cleaned, extension = clean_image(data)
    name = f"{hashlib.sha256(cleaned).hexdigest()[:32]}.{extension}"
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if not target.exists():
        partial = folder / f".{name}.part"
        partial.write_bytes(cleaned)
        partial.replace(target)  # never a half-written file under the public name
    return name


def stored_path(name: str) -> Path | None:
    """The file of a stored image, or None for a name that is not one."""
    if not STORED_NAME.match(name or ""):
        return None
    path = upload_dir() / name
    return path if path.is_file() else None
