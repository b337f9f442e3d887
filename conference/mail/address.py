"""Recipients as mail servers take them: the domain in ASCII (IDNA), and whether the part
before the @ needs a server that speaks SMTPUTF8 (RFC 6531)."""

from __future__ import annotations

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email


class Undeliverable(Exception):
    """No retry can deliver this message: it is marked failed at once, with the reason."""


@dataclass(frozen=True)
class Recipient:
    local_part: str
    domain: str  # ASCII: an internationalised domain name in its xn-- form

    @property
    def address(self) -> str:
        return f"{self.local_part}@{self.domain}"

    @property
    def needs_smtputf8(self) -> bool:
        return not self.local_part.isascii()


def recipient(email: str) -> Recipient:
    """``email`` (as registered, perhaps ``用户@例子.中国``) ready for the envelope and To.

    Raises ``Undeliverable`` for something no mail server would take.
    """
    try:
        checked = validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        raise Undeliverable(f"not an address a mail server takes: {exc}") from exc
    return Recipient(checked.local_part, checked.ascii_domain)
