"""Responses for the programme's public documents: the programme PDF, room signs and the
schedule files.

They change only when the programme does, so shared caches may keep them for five minutes,
and each carries an ETag: a poll of an unchanged document is answered 304 Not Modified.
"""

from __future__ import annotations

from flask import Response, request

MAX_AGE = 300  # seconds


def published(body: bytes, content_type: str, filename: str | None = None,
              headers: dict[str, str] | None = None) -> Response:
    """``body`` as a cacheable, conditional response; with ``filename``, shown inline."""
    response = Response(body, content_type=content_type)
    if filename:
        response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers.update(headers or {})
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    response.add_etag()
    return response.make_conditional(request)
