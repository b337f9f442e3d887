"""The public pages: every one renders in both languages with the conference's content."""

from __future__ import annotations

import re

import pytest

from tests.conftest import DEMO
from tests.public.programme_data import SCRIPT, load_spring_programme

# (url, text expected in Chinese, text expected in English)
DEMO_PAGES = [
    ("/", "2024合肥智能传感器产业发展大会", "Hefei Smart Sensor Industry Development Conference"),
    ("/agenda", "开幕式", "Opening ceremony"),
    ("/sessions/opening-ceremony", "开幕式", "Opening ceremony"),
    ("/rooms/forum-b", "第二分论坛厅", "Forum Room B"),
    ("/speakers", "周彦青", "Zhou Yanqing"),
    ("/speakers/he-yun", "从事光伏组件制造与质量管理", "Works on photovoltaic module"),
    ("/exhibitors", "瑞控信", "Ruikongxin"),
    ("/exhibitors/xingan-iot", "低功耗无线传感节点与边缘网关", "low-power wireless sensor nodes"),
]


def _text(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize(("url", "zh", "en"), DEMO_PAGES)
def test_page_shows_content_in_the_language_asked(client, demo, url, zh, en):
    chinese = client.get(f"{url}?lang=zh")
    assert chinese.status_code == 200
    assert zh in _text(chinese)
    assert en not in _text(chinese)
    assert '<html lang="zh-Hans">' in _text(chinese)

    english = client.get(f"{url}?lang=en")
    assert english.status_code == 200
    assert en in _text(english)
    assert zh not in _text(english)


def test_browser_language_chooses_the_language_without_lang(app, demo):
    chinese = app.test_client().get("/sessions/opening-ceremony",
                                    headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert "开幕式" in _text(chinese)
    assert "Opening ceremony" not in _text(chinese)

    english = app.test_client().get("/sessions/opening-ceremony",
                                    headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert "Opening ceremony" in _text(english)


@pytest.mark.parametrize("url", ["/sessions/nope", "/speakers/nope", "/exhibitors/nope",
                                 "/rooms/nope"])
def test_unknown_slugs_are_not_found(client, demo, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "text/html" in response.content_type


def test_pages_before_any_conference_is_loaded_are_not_found(client):
    for url in ("/", "/agenda", "/speakers", "/exhibitors"):
        assert client.get(url).status_code == 404


def test_home_shows_the_conference_at_a_glance(client, demo):
    page = _text(client.get("/?lang=zh"))
    assert "传世界，感未来" in page
    assert "2024年9月19日" in page
    assert "庐阳智造港会议中心（演示场馆）" in page
    assert "安徽省合肥市庐阳区庐阳经济开发区（演示地址）" in page
    assert "大会在合肥市庐阳区举办" in page
    assert 'href="/register"' in page
    # Keynotes, linked to their pages, with their speakers.
    assert 'href="/sessions/keynote-sensors-in-nev"' in page
    assert "主旨报告：一辆车，两百多个传感器" in page
    assert "林致远" in page
    # Counts: 15 speakers and 13 exhibitors in the demo; breaks are not counted as sessions.
    assert re.search(r"<strong>15</strong>\s*演讲嘉宾", page)
    assert re.search(r"<strong>13</strong>\s*参展商", page)

    english = _text(client.get("/?lang=en"))
    assert re.search(r"<strong>15</strong>\s*Speakers", english)
    assert re.search(r"<strong>13</strong>\s*Exhibitors", english)
    assert re.search(r"<strong>18</strong>\s*Sessions", english)
    assert "19 September 2024" in english
    assert "Transmit the world, sense the future" in english


def test_home_of_a_two_day_conference_shows_both_dates(client, app):
    load_spring_programme(app)
    page = _text(client.get("/?lang=en"))
    assert "29 March 2025" in page
    assert "30 March 2025" in page


def test_session_page_shows_time_place_and_speakers(client, demo):
    page = _text(client.get("/sessions/workshop-mems-calibration?lang=en"))
    assert "Workshop: hands-on MEMS pressure sensor calibration" in page
    # Stored as 05:30–07:00 UTC, shown in Hefei time.
    assert "13:30</time>–<time" in page
    assert 'datetime="2024-09-19T13:30:00+08:00"' in page
    assert "19 September 2024" in page
    assert 'href="/rooms/workshop-room"' in page
    assert "Workshop Room" in page
    assert "Second floor, room 301" in page
    assert "Optoelectronics and Instrumentation" in page
    assert "Calibrate a MEMS pressure sensor" in page
    assert 'href="/speakers/guo-xinyi"' in page
    assert "Guo Xinyi" in page
    assert "Institute of Advanced Technology, USTC" in page
    assert "30 seats" in page


def test_session_without_seat_limit_shows_no_seats(client, demo):
    page = _text(client.get("/sessions/opening-ceremony?lang=en"))
    assert "seats" not in page


def test_room_page_lists_its_sessions(client, demo):
    page = _text(client.get("/rooms/forum-b?lang=en"))
    assert "First floor, west wing" in page
    assert "120 seats" in page
    assert "Environmental sensing and intelligent operations in data centres" in page
    assert "Sensing in extreme environments" in page
    assert "Opening ceremony" not in page
    assert 'href="/rooms/forum-b/schedule.pdf"' in page


def test_speakers_are_in_alphabetical_order_of_the_language_shown(client, demo):
    english = _text(client.get("/speakers?lang=en"))
    names = re.findall(r'class="person-name" href="/speakers/[^"]+">([^<]+)<', english)
    assert len(names) == len(DEMO["speakers"])
    assert names == sorted(names, key=str.casefold)
    assert names[0] == "Chen Shuwen"
    assert "Professor" in english
    assert "University of Science and Technology of China (USTC)" in english

    chinese = _text(client.get("/speakers?lang=zh"))
    names = re.findall(r'class="person-name" href="/speakers/[^"]+">([^<]+)<', chinese)
    # Pinyin order: Chen 陈, Feng 冯, Guo 郭, He 何 … Zheng 郑, Zhou 周.
    assert names[:4] == ["陈书雯", "冯亦博", "郭欣怡", "何芸"]
    assert names[-2:] == ["郑凯文", "周彦青"]


def test_speaker_page_lists_the_speakers_sessions(client, demo):
    page = _text(client.get("/speakers/lin-zhiyuan?lang=en"))
    assert "Technical Director" in page
    assert "Shengmai Technology" in page
    assert "automotive pressure sensors" in page
    assert 'href="/sessions/keynote-sensors-in-nev"' in page
    assert 'href="/sessions/forum-new-energy-sensing"' in page
    assert page.index("keynote-sensors-in-nev") < page.index("forum-new-energy-sensing")


def test_exhibitors_are_grouped_by_category_with_booths(client, demo):
    page = _text(client.get("/exhibitors?lang=en"))
    sensors = page.index("<h2>Sensors</h2>")
    optoelectronics = page.index("<h2>Optoelectronics</h2>")
    # Categories come in the order of their first booth: Sensors start at A01.
    assert sensors < optoelectronics
    sensors_group = page[sensors:optoelectronics]
    assert "Ruikongxin" in sensors_group
    assert "Luzhou MicroSense Technology (demo company)" in sensors_group
    assert "Daheng Energy" not in sensors_group
    assert '<span class="booth" title="Booth">A01</span>' in page
    assert 'href="/exhibitors/ruikongxin"' in page


def test_exhibitor_page_links_to_the_website_without_passing_rank(client, demo):
    page = _text(client.get("/exhibitors/xingan-iot?lang=en"))
    assert "C04" in page
    assert "Internet of Things" in page
    assert ('<a href="https://example.com/xingan-iot" rel="noopener nofollow">'
            in page)

    without = _text(client.get("/exhibitors/ruikongxin?lang=en"))
    assert "noopener" not in without


def test_html_in_content_is_shown_as_text(client, app):
    load_spring_programme(app)
    pages = {url: _text(client.get(url + "?lang=en"))
             for url in ("/", "/agenda", "/sessions/opening", "/speakers/ada",
                         "/exhibitors", "/exhibitors/acme", "/rooms/hall")}
    for url, page in pages.items():
        assert SCRIPT not in page, url
    assert "Opening &lt;script&gt;alert(1)&lt;/script&gt;" in pages["/agenda"]
    assert "Opening &lt;script&gt;" in pages["/sessions/opening"]
    assert "Welcome &lt;em&gt;all&lt;/em&gt;." in pages["/sessions/opening"]
    assert "Spring &lt;script&gt;" in pages["/"]
    assert "Two days of &lt;b&gt;tests&lt;/b&gt;." in pages["/"]
    assert "Wrote &lt;img src=x onerror=alert(2)&gt;" in pages["/speakers/ada"]
    assert "<img src=x" not in pages["/speakers/ada"]
    assert "ACME &lt;i&gt;Sensors&lt;/i&gt;" in pages["/exhibitors"]
    assert "Sensors &amp; more &lt;script&gt;x()&lt;/script&gt;" in pages["/exhibitors/acme"]
    assert 'href="https://example.org/acme?a=1&amp;b=2"' in pages["/exhibitors/acme"]


def test_exhibitor_booths_sort_as_people_read_them(client, app):
    load_spring_programme(app)
    page = _text(client.get("/exhibitors?lang=en"))
    # A10 before B2: letters first, then the number.
    assert page.index("Zenith") < page.index("ACME")


def test_names_follow_a_language_forced_outside_any_request(app, demo):
    """A mail or a job composed outside a request picks bilingual names in the language it
    forces, as a page does in the reader's."""
    from flask_babel import force_locale

    from conference.extensions import db
    from conference.models import Conference

    with app.app_context():
        conference = db.session.execute(db.select(Conference)).scalars().first()
        with force_locale("zh"):
            assert conference.t("name") == conference.name_zh
        with force_locale("en"):
            assert conference.t("name") == conference.name_en
        assert conference.name_zh != conference.name_en
