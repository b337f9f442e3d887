"""The printed programme (/programme.pdf) and the shared PDF renderer's safety rules."""

from __future__ import annotations

import logging
import re
import subprocess
from pathlib import Path

import pytest
from pypinyin import lazy_pinyin

from conference import pdf
from conference.extensions import db
from conference.models import Conference, Session, Speaker
from conference.programme.importer import import_programme
from tests.badges.pdf_checks import embedded_fonts, page_sizes_mm, pdf_text, squeezed

MINIMAL_FILE = Path(__file__).resolve().parent / "minimal.yaml"


def session_titles(app, slug: str, lang: str) -> list[str]:
    with app.app_context():
        conference = db.session.execute(
            db.select(Conference).where(Conference.slug == slug)
        ).scalar_one()
        return [session.t("title", lang) for session in conference.sessions]


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page (pdftotext separates pages with form feeds)."""
    return pdf_text(pdf).split("\f")[: len(page_sizes_mm(pdf))]


def header_text(pdf: bytes, page: int, tmp_path: Path) -> str:
    """Text printed in the top margin (the first 14 mm) of ``page`` (1-based)."""
    path = tmp_path / "header.pdf"
    path.write_bytes(pdf)
    width = round(page_sizes_mm(pdf)[page - 1][0] * 72 / 25.4)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), "-x", "0", "-y", "0",
         "-W", str(width), "-H", str(round(14 * 72 / 25.4)), str(path), "-"],
        capture_output=True, check=True,
    ).stdout.decode("utf-8")


TOC_LINE = re.compile(r"^(?P<label>.+?)\s*\.{4,}\s*(?P<page>\d+)$")


def contents(pages: list[str]) -> list[tuple[str, int]]:
    """(label, page number) of each line of the table of contents (page 2)."""
    return [(match["label"].strip(), int(match["page"]))
            for match in map(TOC_LINE.match, pages[1].splitlines()) if match]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_programme_lists_every_session_on_numbered_a4_pages(app, client, demo, tmp_path, lang):
    response = client.get(f"/programme.pdf?lang={lang}")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert f"-programme-{lang}-a4.pdf" in response.headers["Content-Disposition"]
    sizes = page_sizes_mm(response.data)
    assert len(sizes) >= 6  # cover, contents, agenda, sessions, speakers, exhibitors, venue
    for width, height in sizes:
        assert width == pytest.approx(210, abs=0.5)
        assert height == pytest.approx(297, abs=0.5)

    text = pdf_text(response.data)
    flat = squeezed(text)
    titles = session_titles(app, demo, lang)
    assert len(titles) > 10
    missing = [title for title in titles if squeezed(title) not in flat]
    assert missing == []
    pages = page_texts(response.data)
    for number, page in enumerate(pages[1:], start=2):  # the cover has no number
        assert str(number) in page.split(), f"page {number} shows no page number"
    assert "\ufffd" not in text
    fonts = embedded_fonts(response.data, tmp_path)
    assert fonts and all("Noto-Sans-CJK-SC" in font for font in fonts)


@pytest.mark.parametrize(("lang", "size"), [("zh", "A4"), ("en", "A5"), ("both", "A5")])
def test_contents_give_the_pages_where_sections_begin(client, demo, lang, size):
    pages = page_texts(client.get(f"/programme.pdf?lang={lang}&size={size}").data)

    entries = contents(pages)

    assert len(entries) >= 6  # agenda, its day, sessions, speakers, exhibitors, venue
    numbers = [number for _, number in entries]
    assert numbers == sorted(numbers)
    for label, number in entries:
        first = next(index for index, page in enumerate(pages[2:], start=3)
                     if squeezed(label) in squeezed(page))
        assert first == number, f"{label!r} is listed on page {number}, begins on {first}"


def generated_programme(days: int = 2, rooms: int = 3, slots: int = 14) -> str:
    """A programme long enough for every day's timetable to run over a page."""
    lines = [
        "conference:", "  slug: long-conf", "  acronym: longconf",
        "  name: {zh: 长会, en: Long Conference}",
        "  starts_on: 2025-10-14", f"  ends_on: 2025-10-{13 + days}",
        "  timezone: Asia/Shanghai", "  venue: {zh: 会展中心, en: Expo Centre}",
        "categories:", "  - code: delegate",
        "    name: {zh: 代表, en: Delegate}", "rooms:",
    ]
    lines += [f"  - slug: r{room}\n    name: {{zh: 第{room}厅, en: Room {room}}}"
              for room in range(rooms)]
    lines.append("sessions:")
    for day in range(days):
        for slot in range(slots):
            hour = 8 + slot
            for room in range(rooms):
                number = (day * slots + slot) * rooms + room
                lines += [
                    f"  - slug: s{number}",
                    (f"    title: {{zh: 第{number}场报告：传感器在智能制造中的应用与挑战, "
                    f"en: Talk {number} on sensors in smart manufacturing and its challenges}}"),
                    f"    starts: 2025-10-{14 + day} {hour:02d}:00",
                    f"    ends: 2025-10-{14 + day} {hour:02d}:50",
                    f"    room: r{room}",
                ]
    return "\n".join(lines) + "\n"


def test_running_header_shows_the_day_on_every_agenda_page(app, client, tmp_path):
    with app.app_context():
        import_programme(generated_programme(), "long.yaml")
    pdf = client.get("/programme.pdf?lang=both&size=A5").data
    pages = page_texts(pdf)
    entries = dict(contents(pages))
    days = ["2025年10月14日星期二 Tuesday, 14 October 2025",
            "2025年10月15日星期三 Wednesday, 15 October 2025"]
    first_day, second_day = (entries[day] for day in days)
    sessions = next(number for label, number in entries.items() if "Sessions" in label)
    assert second_day - first_day >= 2  # the first day's timetable runs over a page

    for number in range(first_day, sessions):
        expected = days[0] if number < second_day else days[1]
        assert squeezed(expected) in squeezed(header_text(pdf, number, tmp_path)), number
    assert squeezed(days[0]) not in squeezed(header_text(pdf, 2, tmp_path))  # the contents


def test_no_session_is_split_across_pages(app, client, demo):
    def bare(text: str) -> str:  # pdftotext drops a hyphen where a line breaks at one
        return squeezed(text).replace("-", "")

    pages = [bare(page) for page in page_texts(client.get("/programme.pdf?lang=en").data)]
    with app.app_context():
        conference = db.session.execute(db.select(Conference)).scalar_one()
        sessions = [(s.title_en, s.abstract_en) for s in conference.sessions if s.abstract_en]

    assert sessions
    for title, abstract in sessions:
        # the session's own entry is the page holding its abstract: the title is there too
        holding = [page for page in pages if bare(abstract) in page]
        assert len(holding) == 1 and bare(title) in holding[0], title


def test_speaker_index_is_sorted_by_pinyin_with_organisations_and_bios(app, client, demo):
    pages = page_texts(client.get("/programme.pdf?lang=zh").data)
    entries = dict(contents(pages))
    index = squeezed("".join(pages[entries["演讲嘉宾"] - 1: entries["参展商"] - 1]))
    with app.app_context():
        speakers = db.session.execute(db.select(Speaker)).scalars().all()
        expected = sorted(speakers, key=lambda s: lazy_pinyin(s.name_zh))

        positions = [index.index(squeezed(s.name_zh)) for s in expected]
        assert positions == sorted(positions)
        for speaker in speakers:
            assert squeezed(speaker.organisation_zh) in index
            assert squeezed(speaker.bio_zh) in index


def test_exhibitors_by_booth_and_the_venue_guide(app, client, demo):
    text = squeezed(pdf_text(client.get("/programme.pdf?lang=en").data))
    with app.app_context():
        conference = db.session.execute(db.select(Conference)).scalar_one()
        booths = sorted(conference.exhibitors, key=lambda e: e.booth)
        rooms = conference.rooms
        wifi = (conference.wifi_network, conference.wifi_password)

        positions = [text.index(squeezed(f"{e.booth}{e.name_en}")) for e in booths]
        assert positions == sorted(positions)
        for room in rooms:
            assert squeezed(f"{room.name_en}{room.location_en}{room.capacity or ''}") in text
    assert all(wifi) and squeezed(f"{wifi[0]}") in text and squeezed(wifi[1]) in text


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


@pytest.mark.parametrize("path", ["/programme.pdf?lang=zh", "/rooms/forum-b/schedule.pdf"])
def test_unchanged_programme_answers_not_modified(client, demo, path):
    first = client.get(path)
    assert first.status_code == 200
    assert set(first.headers["Cache-Control"].split(", ")) == {"public", "no-cache"}

    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})

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


def test_font_check_names_the_emoji_package_when_that_font_is_missing(monkeypatch, caplog):
    monkeypatch.setattr(pdf, "EMOJI_FONT", "No Such Emoji")
    with caplog.at_level(logging.WARNING, logger="conference.pdf"):
        assert pdf.check_fonts() is False
    assert "fonts-noto-color-emoji" in caplog.text and "fonts-noto-cjk" not in caplog.text


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


def test_lean_print_stylesheet_keeps_list_bullets(app):
    html = "<!doctype html><ul><li>Alpha 甲</li><li>Beta 乙</li></ul>"
    with app.test_request_context():
        document = pdf.render_pdf(html, "http://localhost/")

    text = pdf_text(document)
    assert "• Alpha 甲" in text and "• Beta 乙" in text


def test_a_worker_fetcher_without_static_folder_refuses_static_urls():
    fetcher = pdf.SafeURLFetcher("", pdf.OFFLINE_BASE_URL)

    with pytest.raises(pdf.RefusedURL):
        fetcher.fetch("http://localhost/static/css/site.css")
    assert fetcher.fetch("data:text/plain;base64,aGVsbG8=").read() == b"hello"


def test_a_conference_without_sessions_prints_a_cover_and_a_note(app, client):
    source = MINIMAL_FILE.read_text(encoding="utf-8").split("\nsessions:")[0] + "\n"
    with app.app_context():
        import_programme(source, "no-sessions.yaml")

    response = client.get("/programme.pdf?lang=en&size=A5")

    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "Tiny Conference" in text
    assert "The programme has not been published yet." in text
