"""Words the public pages show for codes stored in the database."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "ceremony": _l("Ceremony"),
    "keynote": _l("Keynote"),
    "talk": _l("Talk"),
    "forum": _l("Forum"),
    "panel": _l("Panel"),
    "workshop": _l("Workshop"),
    "break": _l("Break"),
    "networking": _l("Networking"),
}


def kind_label(kind: str) -> str:
    """The session kind in the current language; an unknown code is shown as it is."""
    label = KIND_LABELS.get(kind)
    return str(label) if label is not None else kind
