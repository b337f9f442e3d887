"""Writing the audit log (``AuditEntry``): one call beside each back-office write.

``record()`` adds the entry to the current database session and never commits: the entry
is committed with the change it describes, or rolled back with it.
"""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context
from flask_login import current_user

from .extensions import db
from .models.audit import AuditEntry


def _actor() -> tuple[int | None, str]:
    if not has_request_context():
        return None, "cli"
    if getattr(current_user, "is_authenticated", False):
        return current_user.id, current_user.email
    caller = g.get("api_caller")  # an API request by token (conference.auth.guards)
    if caller is not None:
        if caller.kind == "user":
            return caller.id, caller.label
        return None, f"{caller.kind}:{caller.label}"
    return None, "anonymous"


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for every field whose value differs."""
    return {
        field: [before.get(field), value]
        for field, value in after.items()
        if before.get(field) != value
    }


def record(
    kind: str,
    *,
    target: Any = None,
    summary: str = "",
    changes: dict[str, list[Any]] | None = None,
    actor: str | None = None,
) -> AuditEntry:
    """Log ``kind`` (``"session.update"``, ``"registration.approve"``, …) done to ``target``
    (a model instance, or None) by the signed-in account, or by ``actor`` when given."""
    user_id, who = _actor()
    entry = AuditEntry(
        user_id=user_id if actor is None else None,
        actor=(actor or who)[:254],
        kind=kind,
        target_type=type(target).__name__.lower() if target is not None else None,
        target_id=getattr(target, "id", None),
        summary=summary[:300],
        changes={k: [_plain(b), _plain(a)] for k, (b, a) in (changes or {}).items()},
    )
    db.session.add(entry)
    return entry


def _plain(value: Any) -> Any:
    """A JSON-storable form of a field's value (dates as ISO text, others as text)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
