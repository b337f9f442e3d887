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
def load_user(session_id: str) -> User | None:
    """The account behind a session (``id:generation``, see ``User.get_id``). A deactivated
    account, or a session from before the account's last logout or password change, is
    logged out at once."""
    user_id, _, generation = str(session_id).partition(":")
    try:
        user = db.session.get(User, int(user_id))
        generation_number = int(generation)
    except (TypeError, ValueError, OverflowError):
        return None
    if user is None or not user.active or user.session_generation != generation_number:
        return None
    return user


_configure()


def init_app(app) -> None:
    """Configure the login manager for ``app`` (its ``login_manager.init_app`` ran already)."""
    _configure()
