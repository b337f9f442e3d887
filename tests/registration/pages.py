"""Reading the registration pages as a browser shows them."""

from __future__ import annotations

import lxml.html


def parse_page(response) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(response.get_data(as_text=True))


def field_error(response, field_id: str) -> str:
    """The error text shown under the field ``field_id`` ('' when there is none)."""
    found = parse_page(response).xpath(f"//*[@id='{field_id}-error']")
    return found[0].text_content().strip() if found else ""
