"""E-mail addresses as stored, for accounts and registrations alike.

One normal form — checked for shape (no DNS look-up), Unicode normalised, lower-cased —
so an address typed in any case or composition finds the row stored with it.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

__all__ = ["EmailNotValidError", "normalise_email"]


def normalise_email(value: str) -> str:
    """The address as stored. Raises ``EmailNotValidError`` for something that is not an
    e-mail address."""
    return validate_email(value.strip(), check_deliverability=False).normalized.lower()
