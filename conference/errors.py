"""Error answers: HTML pages for people, ``application/problem+json`` under ``/api/``."""

from __future__ import annotations

import psycopg
import sqlalchemy.exc
from flask import current_app, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

# Seconds a client is asked to wait when the database cannot be reached.
RETRY_AFTER_SECONDS = 5
# The database is down, restarting, unreachable, or has no connection free in the pool.
DATABASE_UNAVAILABLE = (
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.TimeoutError,
    psycopg.OperationalError,
)


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


def _handle_database_unavailable(exc: Exception):
    """503 with Retry-After: the request may succeed in a moment (the scanner page, seeing
    a 5xx, admits on the signature meanwhile and queues the scan)."""
    current_app.logger.error("Database unavailable on %s: %s", request.path, exc)
    error = ServiceUnavailable("The database cannot be reached just now. Try again in a moment.")
    try:
        response = make_response(_handle_http(error))
    except (sqlalchemy.exc.SQLAlchemyError, psycopg.Error):  # the page's layout reads the database
        response = make_response(f"{error.description}\n", 503,
                                 {"Content-Type": "text/plain; charset=utf-8"})
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _handle_unexpected(exc: Exception):
    current_app.logger.exception("Unhandled error on %s", request.path)
    return _handle_http(InternalServerError())


def init_app(app) -> None:
    app.register_error_handler(HTTPException, _handle_http)
    for unavailable in DATABASE_UNAVAILABLE:
        app.register_error_handler(unavailable, _handle_database_unavailable)
    if not app.config.get("PROPAGATE_EXCEPTIONS") and not app.testing:
        app.register_error_handler(Exception, _handle_unexpected)
