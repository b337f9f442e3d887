"""Error answers: HTML pages for people, ``application/problem+json`` under ``/api/``."""

from __future__ import annotations

from urllib.parse import urlsplit

import psycopg
import sqlalchemy.exc
from flask import current_app, jsonify, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
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


# Headings and explanations of the error pages people meet, in place of the library's
# English; the page says them in the reader's language.
_STOCK_WORDS = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    403: (_l("Access denied"), _l("Your account may not open this page.")),
    404: (_l("Page not found"),
          _l("There is no page at this address. Check the link, or start again from "
             "the conference's home page.")),
    405: (_l("Not available this way"),
          _l("This address does not answer this kind of request. Start again from "
             "the page that led here.")),
    413: (_l("Too large"), _l("What was sent is too large.")),
    429: (_l("Too many requests"),
          _l("Too many requests in a short time. Wait a moment and try again.")),
    500: (_l("Something went wrong"),
          _l("The server could not complete the request. Try again in a moment.")),
    503: (_l("Not available just now"),
          _l("The service cannot answer just now. Try again in a moment.")),
}
_FORM_EXPIRED = (
    _l("The form has expired"),
    _l("The page was open for a long time, or the form was sent from another page. "
       "Go back, reload the page and send the form again."),
)


def _page_words(exc: HTTPException) -> tuple[str, str]:
    """(heading, explanation) of an error page, in the reader's language. A description
    given where the error was raised is kept; the library's stock English one is not."""
    if isinstance(exc, CSRFError):
        heading, explanation = _FORM_EXPIRED
    else:
        heading, explanation = _STOCK_WORDS.get(exc.code or 500, (exc.name, exc.description or ""))
        if exc.description and exc.description != type(exc).description:
            explanation = exc.description
    return str(heading), str(explanation)


def _back_link() -> str | None:
    """The page the visitor came from, when it is one of this site's."""
    referrer = request.referrer
    if not referrer or urlsplit(referrer).netloc != request.host:
        return None
    if request.method == "GET" and referrer == request.url:
        return None  # this very page
    return referrer


def error_answer(exc: HTTPException):
    """problem+json under /api/, else the error page in the reader's language."""
    if _wants_problem():
        return problem(exc.code or 500, exc.name, exc.description)
    heading, explanation = _page_words(exc)
    return render_template("error.html", error=exc, heading=heading, explanation=explanation,
                           back=_back_link()), exc.code


def _handle_database_unavailable(exc: Exception):
    """503 with Retry-After: the request may succeed in a moment (the scanner page, seeing
    a 5xx, admits on the signature meanwhile and queues the scan)."""
    current_app.logger.error("Database unavailable on %s: %s", request.path, exc)
    error = ServiceUnavailable("The database cannot be reached just now. Try again in a moment.")
    try:
        response = make_response(error_answer(error))
    except (sqlalchemy.exc.SQLAlchemyError, psycopg.Error):  # the page's layout reads the database
        response = make_response(f"{error.description}\n", 503,
                                 {"Content-Type": "text/plain; charset=utf-8"})
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _handle_unexpected(exc: Exception):
    current_app.logger.exception("Unhandled error on %s", request.path)
    return error_answer(InternalServerError())


def init_app(app) -> None:
    app.register_error_handler(HTTPException, error_answer)
    for unavailable in DATABASE_UNAVAILABLE:
        app.register_error_handler(unavailable, _handle_database_unavailable)
    if not app.config.get("PROPAGATE_EXCEPTIONS") and not app.testing:
        app.register_error_handler(Exception, _handle_unexpected)
