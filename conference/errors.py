"""Error answers: HTML pages for people, ``application/problem+json`` under ``/api/``."""

from __future__ import annotations

from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError


def problem(status: int, title: str, detail: str | None = None, **extra):
    """An RFC 9457 problem document."""
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.content_type = "application/problem+json"
    return response


def _wants_problem() -> bool:
    return request.path.startswith("/api/")


def _handle_http(exc: HTTPException):
    if _wants_problem():
        return problem(exc.code or 500, exc.name, exc.description)
    return render_template("error.html", error=exc), exc.code


def _handle_unexpected(exc: Exception):
    from flask import current_app

    current_app.logger.exception("Unhandled error on %s", request.path)
    return _handle_http(InternalServerError())


def init_app(app) -> None:
    app.register_error_handler(HTTPException, _handle_http)
    if not app.config.get("PROPAGATE_EXCEPTIONS") and not app.testing:
        app.register_error_handler(Exception, _handle_unexpected)
