"""/api/docs in Chromium: Swagger UI, served from static/vendor, shows every operation of
the OpenAPI document under the site's Content-Security-Policy, with no error."""

from __future__ import annotations

import pytest
import requests

from tests.browser import wait_until

pytestmark = pytest.mark.browser


def test_the_api_docs_show_every_operation_without_an_error(live_server, page):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith(live_server) else None)
    document = requests.get(live_server + "/api/v1/openapi.json", timeout=10).json()
    operations = sum(len(methods) for methods in document["paths"].values())

    page.goto(live_server + "/api/docs")
    wait_until(page, "(n) => document.querySelectorAll('.opblock').length === n", operations,
               timeout=20)

    assert page.locator(".opblock-summary-path", has_text="/api/v1/checkin/walk-in").count() == 1
    assert page.get_by_text("Authorize").count() >= 1  # the auth schemes are listed
    assert errors == []
    assert outside == []  # nothing from another site: no CDN
