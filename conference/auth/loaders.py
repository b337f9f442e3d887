"""Flask-Login wiring: how a session's user id becomes a ``User``, and where to log in.

The callbacks register on the shared ``login_manager`` when this module is imported;
``init_app`` repeats the configuration for an application explicitly.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..extensions import db, login_manager
from ..models import User

LOGIN_VIEW = "auth.login"


def _configure() -> None:
    login_manager.login_view = LOGIN_VIEW
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The account behind a session; a deactivated account is logged out at once."""
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    if user is None or not user.active:
        return None
    return user


_configure()


def init_app(app) -> None:
    """Configure the login manager for ``app`` (its ``login_manager.init_app`` ran already)."""
    _configure()
