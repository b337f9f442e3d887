"""Responses for the programme's public documents: the programme PDF, room signs and the
schedule files.

They change only when the programme does, but then at once: an organiser's edit shows on
the next request. So caches may keep them but must ask again each time (``no-cache``), and
each carries an ETag, a digest of the document itself: a poll of an unchanged document is
answered 304 Not Modified, an edited one in full.
"""

from __future__ import annotations

from flask import Response, request


def published(body: bytes, content_type: str, filename: str | None = None,
              headers: dict[str, str] | None = None) -> Response:
    """``body`` as a cacheable, conditional response; with ``filename``, shown inline."""
    response = Response(body, content_type=content_type)
    if filename:
        response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers.update(headers or {})
    response.cache_control.public = True
    response.cache_control.no_cache = True
    response.add_etag()
    return response.make_conditional(request)
