"""What each kind of audit entry is called on the pages; a kind without a name here (one a
newer release or another part of the back office writes) is shown as it is stored."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_WORDS = {
    "registration.approve": _l("Registration approved"),
    "registration.reject": _l("Registration rejected"),
    "registration.cancel": _l("Registration cancelled by an organiser"),
    "registration.update": _l("Registration details edited"),
    "registration.resend": _l("Registration mail sent again"),
    "scan.annul": _l("Scan annulled"),
    "checkin_list.reentry": _l("Re-entry setting changed"),
    "account.invite": _l("Account invited"),
    "account.role": _l("Role changed"),
    "account.deactivate": _l("Account deactivated"),
    "account.reactivate": _l("Account reactivated"),
    "account.reset_link": _l("Password link sent again"),
    "account.password_set": _l("Password set from a link"),
    "api_token.create": _l("API token created"),
    "api_token.revoke": _l("API token revoked"),
    "device_token.create": _l("Device token created"),
    "device_token.revoke": _l("Device token revoked"),
    "announcement.send": _l("Announcement sent"),
}


def kind_word(kind: str) -> str:
    return str(KIND_WORDS.get(kind, kind))
