"""Rate limits, looked at only where a view declares one.

Flask-Limiter resolves the limits of every request before its view runs: about a sixth
of the CPU of a small request such as ``/healthz`` or a door scan. This app sets no
default or application-wide limits, so only views decorated with ``rate_limited`` can be
limited; ``no_limit_applies`` lets every other request skip the limiter. Should an
operator configure ``RATELIMIT_DEFAULT`` or ``RATELIMIT_APPLICATION``, every request is
looked at again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, request

from .extensions import limiter

_LIMITED_VIEWS: set[Callable] = set()


def rate_limited(
    limit_value: str | Callable[[], str], *, shared: str | None = None, **options: Any
) -> Callable:
    """``limiter.limit`` for a view, marking it as one the limiter must look at.
    ``shared`` names a limit several views count against together (else each its own)."""

    def decorate(view: Callable) -> Callable:
        if shared:
            limited = limiter.shared_limit(limit_value, shared, **options)(view)
        else:
            limited = limiter.limit(limit_value, **options)(view)
        _LIMITED_VIEWS.add(limited)
        return limited

    return decorate


@limiter.request_filter
def no_limit_applies() -> bool:
    """Flask-Limiter request filter: skip requests whose view declares no limit."""
    config = current_app.config
    if config.get("RATELIMIT_DEFAULT") or config.get("RATELIMIT_APPLICATION"):
        return False
    return current_app.view_functions.get(request.endpoint) not in _LIMITED_VIEWS
