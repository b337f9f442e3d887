"""The programme PDF is rendered once per content, whatever Host header a request sends:
a flood of made-up Host names must not make the server render it again each time."""

from __future__ import annotations

import pytest

import conference.pdf


def test_a_new_host_header_does_not_render_the_programme_again(app, client, demo, monkeypatch):
    renders: list[str] = []
    real_render = conference.pdf.render_pdf

    def counting_render(html: str, base_url: str) -> bytes:
        renders.append(base_url)
        return real_render(html, base_url)

    monkeypatch.setattr(conference.pdf, "render_pdf", counting_render)
    bodies = set()
    for host in ("localhost", "a.example", "b.example", "c.example"):
        response = client.get("/programme.pdf?lang=en", headers={"Host": host})
        assert response.status_code == 200
        bodies.add(response.data)
    assert len(renders) == 1
    assert len(bodies) == 1
    assert renders == [app.config["PUBLIC_URL"].rstrip("/") + "/"]


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True, "PDF_RENDER_RATE_LIMIT": "2/minute"}])
def test_renders_are_limited_per_address_and_cache_hits_do_not_count(app, client, demo, monkeypatch):
    renders: list[str] = []
    monkeypatch.setattr(conference.pdf, "render_pdf",
                        lambda html, base_url: renders.append(html) or b"%PDF-1.7 fake")
    asked = ["/programme.pdf?lang=en"] * 4 + ["/rooms/main-hall/schedule.pdf?lang=en",
                                              "/programme.pdf?lang=zh"]
    answers = [client.get(url).status_code for url in asked]
    assert len(renders) == 2  # the programme once (then three times from the cache), a sign
    assert answers == [200, 200, 200, 200, 200, 429]
    refused = client.get("/programme.pdf?lang=zh&size=A5")
    assert refused.status_code == 429 and "Retry-After" in refused.headers
