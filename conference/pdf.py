"""PDF rendering shared by badges and programmes: WeasyPrint with a URL fetcher that
reads nothing from the network or the file system except the app's own static files.

Print templates live in ``templates/pdf/``; they inline their CSS and embed images as
``data:`` URIs or inline SVG, so a render normally fetches nothing at all. Anything a
template still links to is served by ``SafeURLFetcher``:

- ``data:`` URIs;
- ``<base_url origin>/static/…`` read from the app's static folder on disk (no request
  is made, not even to the app itself);
- every other URL (other hosts, ``file://``, ``ftp:``…) is refused.

``check_fonts()`` runs at start-up (``init_app``) and logs a warning when a font the
print templates need (Chinese, emoji) is not installed, instead of letting it show as
empty boxes.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import re
import shutil
import subprocess
import threading
from collections import OrderedDict
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from babel.dates import format_date, format_interval
from flask import Flask, current_app, g, has_app_context, has_request_context
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse
from werkzeug.security import safe_join

from .ratelimit import rate_limited

logger = logging.getLogger(__name__)

PRINT_FONT = "Noto Sans CJK SC"
PRINT_FONT_PACKAGE = "fonts-noto-cjk"
# Found by fontconfig's fallback for the emoji people put in their names.
EMOJI_FONT = "Noto Color Emoji"
EMOJI_FONT_PACKAGE = "fonts-noto-color-emoji"


UPLOADS_PREFIX = "/uploads/"


class RefusedURL(ValueError):
    """A print template linked to something the PDF renderer must not fetch."""


class SafeURLFetcher(URLFetcher):
    """Serves ``data:`` URIs and the app's static files; refuses every other URL."""

    def __init__(self, static_folder: str | Path, base_url: str, static_url_path: str = "/static",
                 upload_folder: str | Path | None = None):
        super().__init__(allowed_protocols=("data", "http", "https"), allow_redirects=False)
        self.static_folder = str(static_folder)
        # Uploaded images (``/uploads/<digest>.<ext>``), served from here when given.
        self.upload_folder = str(upload_folder) if upload_folder else None
        self.static_prefix = static_url_path.rstrip("/") + "/"
        base = urlsplit(base_url)
        self.origin = (base.scheme.lower(), base.netloc.lower())

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)  # urllib's data: handler, no I/O
        if scheme in ("http", "https"):
            return self._static_file(url)
        raise RefusedURL(f"refused to fetch {url!r}: only data: URIs and static files")

    def _static_file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if (parts.scheme.lower(), parts.netloc.lower()) != self.origin:
            raise RefusedURL(f"refused to fetch {url!r}: external address")
        path = unquote(parts.path)
        if not self.static_folder:  # a worker rendering self-contained HTML
            raise RefusedURL(f"refused to fetch {url!r}: no static folder here")
        if self.upload_folder and path.startswith(UPLOADS_PREFIX):
            return self._file(url, self.upload_folder, path[len(UPLOADS_PREFIX):])
        if not path.startswith(self.static_prefix):
            raise RefusedURL(f"refused to fetch {url!r}: not a static file")
        return self._file(url, self.static_folder, path[len(self.static_prefix):])

    @staticmethod
    def _file(url: str, folder: str, name: str) -> URLFetcherResponse:
        location = safe_join(folder, name)
        if location is None or not Path(location).is_file():
            raise RefusedURL(f"refused to fetch {url!r}: no such static file")
        body = Path(location).read_bytes()
        content_type = mimetypes.guess_type(location)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


# WeasyPrint's user-agent stylesheet gives *every* element a ::marker and five footnote
# pseudo-elements (rules such as "::footnote-call { … }"), and works out their styles one
# by one: in print documents of thousands of small elements (badges in bulk, a programme
# book) that is most of the time spent on CSS. The print templates use neither lists nor
# footnotes, so ``PrintHTML`` uses the same stylesheet with those rules scoped to list
# items (markers) or left out (footnotes). Should WeasyPrint rename the stylesheet or the
# hook (neither is public API), the stock stylesheet is used, which only costs time:
# pyproject.toml keeps WeasyPrint to one major and tests/test_packaging.py notices a change.
UNIVERSAL_PSEUDO_RULE = re.compile(
    r"^::(footnote-call|footnote-marker|note-call|note-marker|note-callback)\s*\{[^}]*\}",
    re.MULTILINE,
)


@cache
def _lean_ua_stylesheet():
    from weasyprint import CSS
    from weasyprint.html import UA, UA_COUNTER_STYLE

    lean = UNIVERSAL_PSEUDO_RULE.sub("", UA).replace("\n::marker {", "\nli::marker {")
    return CSS(string=lean, counter_style=UA_COUNTER_STYLE)


class PrintHTML(HTML):
    """``weasyprint.HTML`` with the lean user-agent stylesheet (see above)."""

    def _ua_stylesheets(self, forms=False):
        try:
            sheet = _lean_ua_stylesheet()
        except (ImportError, AttributeError, OSError):  # another WeasyPrint: the stock one
            return super()._ua_stylesheets(forms)
        return [sheet, *super()._ua_stylesheets(forms)[1:]]


OFFLINE_BASE_URL = "http://localhost/"
BABEL_LOCALES = {"zh": "zh_Hans_CN", "en": "en_GB"}


def print_base_url() -> str:
    """The address relative links in print templates resolve against (never fetched): the
    site's ``PUBLIC_URL``, never the Host header of the request that asked — the PDF cache
    is keyed by it, and every new Host would render the same document again."""
    if not has_app_context():
        return OFFLINE_BASE_URL
    return current_app.config["PUBLIC_URL"].rstrip("/") + "/"


def print_dates(conference, lang: str) -> str:
    """The conference's dates as printed: 2024年9月19日, 19–20 September 2024."""
    start, end = conference.starts_on, conference.ends_on
    locale = BABEL_LOCALES.get(lang, "en_GB")
    if start == end:
        return format_date(start, "long", locale=locale)
    if lang == "zh":
        return format_interval(start, end, "yMMMd", locale=locale)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{format_date(end, 'long', locale=locale)}"
    return f"{format_date(start, 'long', locale=locale)} – {format_date(end, 'long', locale=locale)}"


def render_pdf(html: str, base_url: str) -> bytes:
    """Render ``html`` (a whole document) to PDF bytes; links resolve against ``base_url``.

    Needs an app context (for the static folder).
    """
    from .uploads import upload_dir

    fetcher = SafeURLFetcher(
        current_app.static_folder or "", base_url, current_app.static_url_path or "/static",
        upload_dir(),
    )
    return PrintHTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()


_worker_fonts = None
_worker_stylesheets: dict[str, object] = {}


def render_file(html: str, target: str, css: str = "") -> int:
    """Render ``html`` to the PDF file ``target``; returns its page count.

    Made for worker processes of bulk jobs: this module imports little, so a worker starts
    quickly, and the font configuration and the stylesheet ``css`` (parsed once) are kept
    for the worker's next documents. The HTML must carry its images as ``data:`` URIs.
    """
    global _worker_fonts
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    if _worker_fonts is None:
        _worker_fonts = FontConfiguration()
    fetcher = SafeURLFetcher("", OFFLINE_BASE_URL)  # data: URIs only, no static folder
    stylesheets = []
    if css:
        if css not in _worker_stylesheets:
            _worker_stylesheets.clear()  # one job's stylesheet at a time
            _worker_stylesheets[css] = CSS(string=css, base_url=OFFLINE_BASE_URL,
                                           url_fetcher=fetcher, font_config=_worker_fonts)
        stylesheets.append(_worker_stylesheets[css])
    document = PrintHTML(string=html, base_url=OFFLINE_BASE_URL, url_fetcher=fetcher).render(
        font_config=_worker_fonts, stylesheets=stylesheets, presentational_hints=False,
        optimize_images=False,
    )
    document.write_pdf(target)
    return len(document.pages)


class RenderCache:
    """The last few rendered PDFs, keyed by a digest of their HTML: a document whose
    content changed in any way gets a new key, so nothing is ever stale."""

    def __init__(self, entries: int):
        self.entries = entries
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(html: str, base_url: str) -> str:
        return hashlib.sha256(f"{base_url}\0{html}".encode()).hexdigest()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            pdf = self._items.get(key)
            if pdf is not None:
                self._items.move_to_end(key)
            return pdf

    def put(self, key: str, pdf: bytes) -> None:
        if self.entries <= 0:
            return
        with self._lock:
            self._items[key] = pdf
            self._items.move_to_end(key)
            while len(self._items) > self.entries:
                self._items.popitem(last=False)


def render_pdf_cached(html: str, base_url: str) -> bytes:
    """``render_pdf`` through the app's in-memory cache (``PDF_CACHE_ENTRIES``, 0 = off)."""
    cache = _cache(current_app)
    key = RenderCache.key(html, base_url)
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_pdf(html, base_url)
        cache.put(key, pdf)
        if has_request_context():
            g.pdf_rendered = True  # counted by ``render_limited``; a cache hit is free
    return pdf


def _rendered(response) -> bool:
    """Flask-Limiter ``deduct_when``: only a request that rendered a PDF counts."""
    return bool(g.get("pdf_rendered"))


def render_limited(view):
    """View decorator: ``PDF_RENDER_RATE_LIMIT`` per address on the renders the views
    so decorated make, together. A PDF served from the cache costs nothing and counts nothing; an address that
    used up its renders is refused (429) until the window moves on, cached or not."""
    return rate_limited(lambda: current_app.config["PDF_RENDER_RATE_LIMIT"],
                        shared="pdf-render", deduct_when=_rendered)(view)


@cache
def _installed_families() -> frozenset[str] | None:
    """Font families fontconfig knows, or None when ``fc-list`` cannot be run."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        listing = subprocess.run(
            [fc_list, ":", "family"], capture_output=True, text=True, timeout=20, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    families = set()
    for line in listing.splitlines():
        families.update(name.strip() for name in line.split(","))
    return frozenset(families)


def check_fonts() -> bool:
    """True when the print fonts are installed; otherwise log a warning naming the package."""
    families = _installed_families()
    if families is None:
        logger.warning(
            "Could not run fc-list to check for the font %r; if Chinese text prints as "
            "empty boxes, install the Debian package %s.", PRINT_FONT, PRINT_FONT_PACKAGE
        )
        return False
    missing = False
    for font, package, what in (
        (PRINT_FONT, PRINT_FONT_PACKAGE, "Chinese text"),
        (EMOJI_FONT, EMOJI_FONT_PACKAGE, "emoji in names"),
    ):
        if font not in families:
            missing = True
            logger.warning(
                "The font %r is not installed: %s in badges and programmes would print as "
                "empty boxes. Install the Debian package %s (apt-get install %s).",
                font, what, package, package,
            )
    return not missing


def _cache(app: Flask) -> RenderCache:
    if "pdf_cache" not in app.extensions:
        entries = app.config["PDF_CACHE_ENTRIES"]
        app.extensions["pdf_cache"] = RenderCache(entries)
    return app.extensions["pdf_cache"]


def init_app(app: Flask) -> None:
    """Set up the render cache and check the print font once at start-up."""
    _cache(app)
    app.extensions["pdf_fonts_ok"] = check_fonts()
