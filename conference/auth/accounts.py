"""Who may manage which account, and the changes themselves: roles, deactivation.

The rule: admins manage every account; organisers manage staff and organisers and may give
those two roles, but never make an admin nor touch an admin's account. Nobody changes
their own role or deactivates themselves (an organisation must not lock itself out by a
slip). Every change is written to the audit log with the change itself.
"""

from __future__ import annotations

from flask_babel import gettext, lazy_gettext

from .. import audit
from ..extensions import db
from ..models import ROLES, User
from .service import AccountError

ROLE_WORDS = {
    "admin": lazy_gettext("admin"),
    "organiser": lazy_gettext("organiser"),
    "staff": lazy_gettext("door staff"),
}


def assignable_roles(actor: User) -> tuple[str, ...]:
    """The roles ``actor`` may give: every role for an admin, staff and organiser else."""
    if actor.role == "admin":
        return ROLES
    if actor.has_role("organiser"):
        return tuple(role for role in ROLES if role != "admin")
    return ()


def may_manage(actor: User, account: User) -> bool:
    """``actor`` may change ``account``'s role, deactivate it, and make or revoke its tokens."""
    if actor.id == account.id or not actor.has_role("organiser"):
        return False
    return actor.role == "admin" or account.role != "admin"


def may_hold_tokens_of(actor: User, account: User) -> bool:
    """Anyone with the back office makes and revokes API tokens of their own account, and
    of the accounts they manage."""
    return actor.has_role("organiser") and (actor.id == account.id or may_manage(actor, account))


def _refuse_unless_managed(actor: User, account: User) -> None:
    if not may_manage(actor, account):
        raise AccountError(gettext("You may not change this account."))


def change_role(actor: User, account: User, role: str) -> bool:
    """Give ``account`` the ``role`` and commit; False when it had it already."""
    _refuse_unless_managed(actor, account)
    if role not in assignable_roles(actor):
        raise AccountError(gettext("You may not give this role."))
    if account.role == role:
        return False
    audit.record("account.role", target=account, summary=account.email,
                 changes={"role": [account.role, role]})
    account.role = role
    db.session.commit()
    return True


def set_active(actor: User, account: User, active: bool) -> bool:
    """Deactivate (every session and token of the account stops at its next request) or
    reactivate ``account``, and commit; False when nothing changed."""
    _refuse_unless_managed(actor, account)
    if account.active == active:
        return False
    audit.record("account.reactivate" if active else "account.deactivate", target=account,
                 summary=account.email, changes={"active": [account.active, active]})
    account.active = active
    if not active:
        account.end_sessions()
    db.session.commit()
    return True


def accounts() -> list[User]:
    """Every account: active ones first, then by role (admins first) and address."""
    order = {role: position for position, role in enumerate(ROLES)}
    found = db.session.execute(db.select(User)).scalars().all()
    return sorted(found, key=lambda user: (not user.active, order.get(user.role, 99), user.email))
