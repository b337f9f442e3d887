"""The printed programme (/programme.pdf) and the shared PDF renderer's safety rules."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from conference import pdf
from conference.extensions import db
from conference.models import Conference, Session
from conference.programme.importer import import_programme
from tests.badges.pdf_checks import embedded_fonts, page_sizes_mm, pdf_text, squeezed

MINIMAL_FILE = Path(__file__).resolve().parent / "minimal.yaml"


def session_titles(app, slug: str, lang: str) -> list[str]:
    with app.app_context():
        conference = db.session.execute(
            db.select(Conference).where(Conference.slug == slug)
        ).scalar_one()
        return [session.t("title", lang) for session in conference.sessions]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_programme_lists_every_session_on_a4_pages_with_page_numbers(
    app, client, demo, tmp_path, lang
):
    response = client.get(f"/programme.pdf?lang={lang}")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert f"-programme-{lang}-a4.pdf" in response.headers["Content-Disposition"]
    sizes = page_sizes_mm(response.data)
    assert len(sizes) >= 2
    for width, height in sizes:
        assert width == pytest.approx(210, abs=0.5)
        assert height == pytest.approx(297, abs=0.5)

    text = pdf_text(response.data)
    flat = squeezed(text)
    titles = session_titles(app, demo, lang)
    assert len(titles) > 10
    missing = [title for title in titles if squeezed(title) not in flat]
    assert missing == []
    pages = text.split("\f")[: len(sizes)]
    for number, page in enumerate(pages, start=1):
        assert f"{number}/{len(sizes)}" in squeezed(page)  # the footer "1 / 2"
    assert "\ufffd" not in text
    fonts = embedded_fonts(response.data, tmp_path)
    assert fonts and all("Noto-Sans-CJK-SC" in font for font in fonts)


def test_cover_names_conference_slogan_dates_and_venue(client, demo):
    chinese = squeezed(pdf_text(client.get("/programme.pdf?lang=zh").data))
    english = pdf_text(client.get("/programme.pdf?lang=en").data)

    for printed in ("2024合肥智能传感器产业发展大会", "传世界，感未来", "2024年9月19日星期四",
                    "庐阳智造港会议中心"):
        assert printed in chinese
    for printed in ("Transmit the world, sense the future", "19 September 2024",
                    "Thursday, 19 September 2024"):
        assert printed in english


def test_times_are_local_to_the_conference(app, client):
    with app.app_context():
        import_programme(MINIMAL_FILE.read_text(encoding="utf-8"), str(MINIMAL_FILE))

    text = pdf_text(client.get("/programme.pdf?lang=en").data)

    # 09:00 in Berlin (stored as 07:00 UTC), with both speakers and the room
    assert "09:00–09:30" in text
    assert "Welcome" in text and "Ada Lovelace" in text and "Bob" in text and "Hall" in text


def test_an_edited_session_is_printed_at_once(app, client, demo):
    before = squeezed(pdf_text(client.get("/programme.pdf?lang=en").data))
    with app.app_context():
        session = db.session.execute(
            db.select(Session).order_by(Session.starts_at).limit(1)
        ).scalar_one()
        session.title_en = "Doors open earlier this year"
        db.session.commit()

    after = squeezed(pdf_text(client.get("/programme.pdf?lang=en").data))

    assert "Doorsopenearlierthisyear" not in before
    assert "Doorsopenearlierthisyear" in after


def test_unchanged_programme_answers_not_modified(client, demo):
    first = client.get("/programme.pdf?lang=zh")

    again = client.get("/programme.pdf?lang=zh", headers={"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 304


def test_a5_and_unknown_paper_sizes(client, demo):
    a5 = client.get("/programme.pdf?lang=en&size=A5")
    assert a5.status_code == 200
    for width, height in page_sizes_mm(a5.data):
        assert (width, height) == (pytest.approx(148, abs=0.5), pytest.approx(210, abs=0.5))

    assert client.get("/programme.pdf?size=B7").status_code == 400


def test_no_conference_loaded_is_not_found(client):
    assert client.get("/programme.pdf").status_code == 404


# The shared renderer: nothing is fetched from the network or the file system.

@pytest.fixture
def fetcher(app):
    return pdf.SafeURLFetcher(app.static_folder, "http://localhost/", app.static_url_path)


@pytest.mark.parametrize("url", [
    "http://example.com/x.png",
    "https://example.com/x.css",
    "file:///etc/passwd",
    "ftp://example.com/x.png",
    "http://localhost/registration/x/badge.pdf",
    "http://localhost/static/../conference/config.py",
    "http://localhost/static/%2e%2e/conference/config.py",
    "http://localhost.example.com/static/css/site.css",
])
def test_fetcher_refuses_anything_but_data_and_static_files(fetcher, url):
    with pytest.raises(pdf.RefusedURL):
        fetcher.fetch(url)


def test_fetcher_serves_data_uris_and_static_files_from_disk(app, fetcher):
    data = fetcher.fetch("data:text/plain;base64,aGVsbG8=")
    assert data.read() == b"hello"

    static = fetcher.fetch("http://localhost/static/css/site.css")
    assert static.read() == (Path(app.static_folder) / "css" / "site.css").read_bytes()
    assert static.content_type == "text/css"


def test_render_with_refused_links_still_gives_a_pdf(app):
    html = """<!doctype html><link rel="stylesheet" href="http://example.com/x.css">
    <img src="file:///etc/passwd"><img src="http://example.com/x.png"><p>Programme 日程</p>"""
    with app.test_request_context():
        document = pdf.render_pdf(html, "http://localhost/")

    assert "Programme 日程" in pdf_text(document)


def test_font_check_names_the_package_when_the_font_is_missing(monkeypatch, caplog):
    assert pdf.check_fonts() is True  # the print font is installed here

    monkeypatch.setattr(pdf, "PRINT_FONT", "No Such Font SC")
    with caplog.at_level(logging.WARNING, logger="conference.pdf"):
        assert pdf.check_fonts() is False
    assert "fonts-noto-cjk" in caplog.text and "No Such Font SC" in caplog.text


def room_sessions(app, slug: str) -> dict[str, list[tuple[str, str, object]]]:
    """Room slug → (zh title, en title, local day) of its sessions."""
    from conference.timefmt import to_local

    with app.app_context():
        conference = db.session.execute(
            db.select(Conference).where(Conference.slug == slug)
        ).scalar_one()
        found: dict[str, list] = {room.slug: [] for room in conference.rooms}
        for session in conference.sessions:
            found[session.room.slug].append((
                session.t("title", "zh"), session.t("title", "en"),
                to_local(session.starts_at, conference.timezone).date(),
            ))
        return found


def test_room_door_sign_is_one_landscape_a4_page_per_day_with_the_rooms_sessions(
    app, client, demo
):
    rooms = room_sessions(app, demo)
    slug, held = max(rooms.items(), key=lambda item: len(item[1]))
    elsewhere = [zh for other, sessions in rooms.items() if other != slug
                 for zh, _, _ in sessions if zh not in {z for z, _, _ in held}]

    response = client.get(f"/rooms/{slug}/schedule.pdf?lang=zh")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    sizes = page_sizes_mm(response.data)
    assert len(sizes) == len({day for _, _, day in held})
    for width, height in sizes:
        assert width == pytest.approx(297, abs=0.5)
        assert height == pytest.approx(210, abs=0.5)
    text = squeezed(pdf_text(response.data))
    for zh, en, _ in held:
        assert squeezed(zh) in text and squeezed(en) in text  # signs face every visitor
    assert elsewhere and not any(squeezed(title) in text for title in elsewhere)


def test_room_page_links_to_its_door_sign_and_unknown_rooms_are_not_found(app, client, demo):
    slug = next(iter(room_sessions(app, demo)))

    page = client.get(f"/rooms/{slug}").get_data(as_text=True)

    assert f'href="/rooms/{slug}/schedule.pdf"' in page
    assert client.get("/rooms/no-such-room/schedule.pdf").status_code == 404


def test_both_languages_print_every_title_in_chinese_and_english(app, client, demo):
    response = client.get("/programme.pdf?lang=both&size=A5")

    assert response.status_code == 200
    assert "-programme-both-a5.pdf" in response.headers["Content-Disposition"]
    for width, height in page_sizes_mm(response.data):
        assert (width, height) == (pytest.approx(148, abs=0.5), pytest.approx(210, abs=0.5))
    text = pdf_text(response.data)
    flat = squeezed(text)
    titles = session_titles(app, demo, "zh") + session_titles(app, demo, "en")
    assert [title for title in titles if squeezed(title) not in flat] == []
    assert "\ufffd" not in text
