"""Who may open staff pages and call the staff API.

* ``staff_required`` guards HTML pages: anonymous visitors are sent to the login page,
  logged-in accounts without a staff role get 403.
* ``api_staff_or_device`` guards JSON endpoints: ``Authorization: Bearer <device token>``
  or ``Bearer <API token>`` (acting as its account, with the account's role), or a staff
  session cookie together with the header ``X-Requested-With: checkin``.
  ``api_organiser`` is the same for organisers and admins, without devices.
  The API blueprint is exempt from CSRF tokens, so a cookie alone is never enough: a
  cross-site page cannot add that header without a CORS preflight, which this app
  never grants. Failures are ``application/problem+json`` (401 with
  ``WWW-Authenticate: Bearer``, or 403).

The caller of an API request is kept in ``g.api_caller`` (see ``current_caller``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Literal

from flask import abort, g, request
from flask_login import current_user

from ..errors import problem
from ..extensions import login_manager
from . import loaders  # noqa: F401  (user loader and login view)
from .api_tokens import account_for_api_token, is_api_token
from .service import device_for_token

STAFF_ROLE = "staff"  # organisers and admins rank above staff (User.has_role)
CSRF_HEADER = "X-Requested-With"
CSRF_HEADER_VALUE = "checkin"
MAX_BEARER_LENGTH = 200


@dataclass(frozen=True)
class ApiCaller:
    kind: Literal["user", "device"]
    id: int
    label: str  # e-mail of the account or name of the device

    @property
    def log_name(self) -> str:
        """How the scan log names this caller (at most 120 characters)."""
        return f"{self.kind}:{self.id}:{self.label}"[:120]


def _is_staff(user) -> bool:
    return bool(user.is_authenticated and user.has_role(STAFF_ROLE))


def staff_required(view: Callable) -> Callable:
    """Page decorator: staff, organisers and admins only."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not _is_staff(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def _unauthorised(detail: str, error: str | None = None):
    response = problem(401, "Unauthorized", detail)
    challenge = 'Bearer realm="conference"'
    if error:
        challenge += f', error="{error}"'
    response.headers["WWW-Authenticate"] = challenge
    return response


def bearer_token() -> str | None:
    """The token of an ``Authorization: Bearer …`` header, '' for a malformed one."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > MAX_BEARER_LENGTH:
        return ""
    return token


def _api_guard(role: str, devices: bool, view: Callable) -> Callable:
    """``view`` for callers with ``role`` (or above): an API token's account, a session
    with the API header, and scanner devices when ``devices``."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        token = bearer_token()
        if token is not None:
            if is_api_token(token):
                account = account_for_api_token(token)
                if account is None:
                    return _unauthorised("The API token is unknown or revoked, or its account "
                                         "is deactivated.", "invalid_token")
                if not account.has_role(role):
                    return problem(403, "Forbidden", "This token's account may not use this API.")
                g.api_caller = ApiCaller("user", account.id, account.email)
                return view(*args, **kwargs)
            device = device_for_token(token) if token else None
            if device is None:
                return _unauthorised("The bearer token is unknown or revoked.", "invalid_token")
            if not devices:
                return problem(403, "Forbidden", "Scanner devices may not use this API.")
            g.api_caller = ApiCaller("device", device.id, device.name)
            return view(*args, **kwargs)
        if not current_user.is_authenticated:
            return _unauthorised("Log in or send a bearer token.")
        if not current_user.has_role(role):
            return problem(403, "Forbidden", "This account may not use this API.")
        if request.headers.get(CSRF_HEADER) != CSRF_HEADER_VALUE:
            return problem(
                403,
                "Forbidden",
                f"Requests authenticated by the session cookie must send "
                f"the header {CSRF_HEADER}: {CSRF_HEADER_VALUE}.",
            )
        g.api_caller = ApiCaller("user", current_user.id, current_user.email)
        return view(*args, **kwargs)

    return wrapper


def api_staff_or_device(view: Callable) -> Callable:
    """API decorator: a scanner device's bearer token, an API token, or a staff session
    (see module doc)."""
    return _api_guard(STAFF_ROLE, True, view)


def api_organiser(view: Callable) -> Callable:
    """API decorator: an organiser's (or admin's) API token or session; devices get 403."""
    return _api_guard("organiser", False, view)


def current_caller() -> ApiCaller | None:
    """The caller admitted by ``api_staff_or_device`` for this request."""
    return g.get("api_caller")


def api_staff_login(view: Callable) -> Callable:
    """API decorator: a staff session (with its header) only, never a device token: for
    what a person at the desk does, such as registering a walk-in."""

    @api_staff_or_device
    @wraps(view)
    def wrapper(*args, **kwargs):
        caller = current_caller()
        if caller is None or caller.kind != "user":
            return problem(403, "Forbidden", "This needs a staff login, not a device token.")
        return view(*args, **kwargs)

    return wrapper
