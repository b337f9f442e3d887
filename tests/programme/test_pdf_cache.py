"""The programme PDF is rendered once per content, whatever Host header a request sends:
a flood of made-up Host names must not make the server render it again each time."""

from __future__ import annotations

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
