"""Security headers on every answer (see docs/security.md).

- A Content-Security-Policy that runs only this site's own script files (no inline script,
  no ``eval``), lets no other site frame a page (``frame-ancestors 'none'``, and
  ``X-Frame-Options: DENY`` for older browsers), and sends forms only here.
- ``X-Content-Type-Options: nosniff``.
- ``Referrer-Policy: no-referrer`` on secret-link pages (``/registration/<token>…``), so
  the token never leaves in a Referer; ``strict-origin-when-cross-origin`` elsewhere.
- ``Cache-Control: private, no-store`` on staff, organiser and secret-link pages and on
  every page sent to a signed-in account, unless the answer says it is public.
- ``Strict-Transport-Security`` when ``PUBLIC_URL`` is https (the cookies are then
  ``Secure`` too: see ``conference.config``).
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request, session

_POLICY_DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self'",
    # Inline style attributes carry computed widths (progress bars, colour swatches).
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self' blob:",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)
CONTENT_SECURITY_POLICY = "; ".join(_POLICY_DIRECTIVES)
HSTS = "max-age=31536000; includeSubDomains"
# Pages for staff and organisers, and the secret links attendees get by e-mail.
PRIVATE_PREFIXES = ("/admin", "/checkin", "/login", "/logout", "/registration/")
SECRET_LINK_PREFIXES = ("/registration/",)


def _signed_in() -> bool:
    remember_cookie = current_app.config["REMEMBER_COOKIE_NAME"]
    return bool(session.get("_user_id")) or remember_cookie in request.cookies


def add_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    path = request.path
    secret = path.startswith(SECRET_LINK_PREFIXES)
    headers["Referrer-Policy"] = "no-referrer" if secret else "strict-origin-when-cross-origin"
    if not response.cache_control.public and (path.startswith(PRIVATE_PREFIXES) or _signed_in()):
        headers["Cache-Control"] = "private, no-store"
    if current_app.config["PUBLIC_URL"].startswith("https://"):
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def init_app(app: Flask) -> None:
    if app.config["PUBLIC_URL"].startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    app.after_request(add_headers)
